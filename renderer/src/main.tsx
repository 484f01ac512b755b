import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { mailroom } from './mailroom-api';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  // Asked before React starts: which screen comes first (setup or compose) depends on the answer, so
  // the round trip to the core runs while React mounts instead of after its first commit.
  const firstState = mailroom().getAppState({});
  createRoot(root).render(
    <StrictMode>
      <App firstState={firstState} />
    </StrictMode>,
  );
}
