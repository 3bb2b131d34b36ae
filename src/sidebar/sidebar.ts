/**
 * The sidebar page's script. It runs in the user's browser inside HtmlService's iframe and talks
 * to the server only through google.script.run, which calls a global function of dist/Code.js
 * and JSON-round-trips the result (a Date or class instance does not survive the trip).
 */
import type { ConnectionStatus } from '../sheets/server-types';

/** The part of the client-side google.script.run API used here (it has no published typings). */
interface ScriptRunner {
  withSuccessHandler<T>(handler: (result: T) => void): ScriptRunner;
  withFailureHandler(handler: (error: Error) => void): ScriptRunner;
  getStatus(): void;
}

declare const google: { script: { run: ScriptRunner } } | undefined;

const refreshButton = document.getElementById('refresh') as HTMLButtonElement;
const statusLine = document.getElementById('status') as HTMLParagraphElement;

function show(text: string, isError: boolean): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
  refreshButton.disabled = false;
}

function refresh(): void {
  if (typeof google === 'undefined') {
    show('This page only works inside Google Sheets (Extensions > TikTok Shop Profit).', true);
    return;
  }
  refreshButton.disabled = true;
  statusLine.textContent = 'Loading…';
  google.script.run
    .withSuccessHandler((status: ConnectionStatus) => {
      const connection = status.connected ? 'connected to TikTok Shop' : 'not connected to TikTok Shop';
      show(`${status.addon} ${status.version}: ${connection}.`, false);
    })
    .withFailureHandler((error) => show(`Could not load the status: ${error.message}`, true))
    .getStatus();
}

refreshButton.addEventListener('click', refresh);
