/** Identifiers the extension contributes; package.json declares the same ones. */
export const COMMANDS = {
  runAudit: 'maintenanceTeam.runAudit',
  showLog: 'maintenanceTeam.showLog',
  createConfig: 'maintenanceTeam.createConfig',
  clearCache: 'maintenanceTeam.clearCache',
  resetBreakers: 'maintenanceTeam.resetBreakers',
  exportMetrics: 'maintenanceTeam.exportMetrics',
  exportReport: 'maintenanceTeam.exportReport',
  openDashboard: 'maintenanceTeam.openDashboard',
  fixWorkspace: 'maintenanceTeam.fixWorkspace',
  showSkipped: 'maintenanceTeam.showSkipped',
  /** Internal (not in package.json): the "Show documentation for <rule>" code action's, with the rule id. */
  showRuleDocs: 'maintenanceTeam.showRuleDocs',
  /** Internal (not in package.json): the dashboard's last data and render, for the integration tests. */
  dashboardState: 'maintenanceTeam.dashboardState',
  /** Internal (not in package.json): what the status-bar item shows, for the integration tests. */
  statusState: 'maintenanceTeam.statusState',
} as const;

/** `Diagnostic.source` of every finding, and the diagnostic collection's name. */
export const DIAGNOSTIC_SOURCE = 'maintenance-team';

/** `Diagnostic.source` of the configuration file's problems, and their collection's name. */
export const CONFIG_DIAGNOSTIC_SOURCE = 'maintenance-team-config';

/** `source.fixAll.maintenanceTeam`, for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND_SUFFIX = 'maintenanceTeam';

/** Configuration section of the extension's settings. */
export const SETTINGS_SECTION = 'maintenanceTeam';
