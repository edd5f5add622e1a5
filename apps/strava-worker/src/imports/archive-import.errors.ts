/** The worker is stopping: the import hands its job back and resumes from its checkpoint. */
export class ImportInterruptedError extends Error {
  constructor() {
    super('the worker is stopping: the import resumes from its checkpoint');
    this.name = 'ImportInterruptedError';
  }
}
