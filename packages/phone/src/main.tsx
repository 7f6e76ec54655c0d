import { registerAppShell } from '@latch/client';
import { ErrorBoundary } from '@latch/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './App';
import { LoadFailed } from './LoadFailed';
import './styles/base.css';
import './styles/controls.css';
import './styles/sheets.css';
import './styles/bars.css';
import './styles/pieces.css';
import './styles/onboarding.css';
import './styles/home.css';
import './styles/chats.css';
import './styles/devices.css';
import './styles/link.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary fallback={<LoadFailed />}>
      <Router base="/phone">
        <App />
      </Router>
    </ErrorBoundary>
  </StrictMode>,
);
// Offline reloads open the app (production builds only: the dev server has no worker).
if (import.meta.env.PROD) registerAppShell('/phone/');
