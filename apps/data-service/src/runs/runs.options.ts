export interface RunsOptions {
  /** Most runs accepted by one `PUT /users/{id}/runs`. */
  maxRunsPerRequest: number;
}

export const RUNS_OPTIONS = Symbol('RunsOptions');
