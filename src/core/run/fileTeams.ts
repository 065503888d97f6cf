import type { Agent } from '../agent';
import { PathConfigs } from '../config/overrides';
import type { TeamConfig } from '../config/schema';

/** The team that audits one file, with the configuration it was built from (the file's, overrides applied). */
export interface FileTeam {
  readonly agents: readonly Agent[];
  /**
   * What the runner threads build the same team from (functions cannot cross threads); absent for a team given
   * as agents (tests), which the runner is never asked to run.
   */
  readonly config?: TeamConfig;
}

/** A team for every file: one team (tests, a single agent), or each file's (`FileTeams.forPath`). */
export type TeamSource = readonly Agent[] | ((path: string) => FileTeam);

/** The team of the file at `path` from a source. */
export function teamOfPath(source: TeamSource, path: string): FileTeam {
  return typeof source === 'function' ? source(path) : { agents: source };
}

/**
 * The teams of a configuration's files: a team per configuration `PathConfigs` resolves, built once and kept, so
 * files whose matching overrides are the same share one team (and one runner key). Nothing per file but the
 * glob matches.
 */
export class FileTeams {
  private readonly configs: PathConfigs;
  private readonly teams = new Map<TeamConfig, FileTeam>();

  /**
   * `build` makes the agents of a configuration (the registry's `createTeam`); `configPath` turns a path as the
   * audit names it into one relative to the configuration's folder, where its globs are (identity by default).
   */
  constructor(
    config: TeamConfig, private readonly build: (config: TeamConfig) => readonly Agent[],
    private readonly configPath: (path: string) => string = (path) => path,
  ) {
    this.configs = new PathConfigs(config);
  }

  /** The team of files no override or test glob matches. */
  get base(): FileTeam {
    return this.teamOf(this.configs.base);
  }

  /** The team of the file at `path` (POSIX, relative to the audit root). */
  forPath(path: string): FileTeam {
    return this.configs.varies ? this.teamOf(this.configs.configFor(this.configPath(path))) : this.base;
  }

  private teamOf(config: TeamConfig): FileTeam {
    let team = this.teams.get(config);
    if (!team) {
      team = { agents: this.build(config), config };
      this.teams.set(config, team);
    }
    return team;
  }
}
