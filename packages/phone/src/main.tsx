import { registerAppShell } from '@latch/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
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
    <App />
  </StrictMode>,
);
// Offline reloads open the app (production builds only: the dev server has no worker).
if (import.meta.env.PROD) registerAppShell('/phone/');
