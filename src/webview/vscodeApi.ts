/// <reference lib="dom" />
/**
 * The webview's handle on its host: typed with the dashboard protocol, so a message that does not fit it does not
 * compile. `acquireVsCodeApi` may be called once per page; this module calls it and shares the result.
 */
import type { DashboardToHost, PersistedState } from '../shared/protocol';

/** What `acquireVsCodeApi()` returns, narrowed to the dashboard's messages and saved state. */
export interface DashboardHost {
  postMessage(message: DashboardToHost): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): DashboardHost;

/** The page's one host handle. */
export const host: DashboardHost = acquireVsCodeApi();
