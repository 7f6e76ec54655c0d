import { registerAppShell } from '@latch/client';
import { ErrorBoundary } from '@latch/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { LoadFailed } from './app/LoadFailed';
import './ui/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary fallback={<LoadFailed />}>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
// Offline reloads open the app (production builds only: the dev server has no worker).
if (import.meta.env.PROD) registerAppShell('/');
