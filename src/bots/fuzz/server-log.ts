/**
 * Watches a server's log while it is fuzzed: every line must be one pino
 * JSON event, and none may be an error or fatal one. A line that is not
 * JSON is something printed around the logger (an uncaught exception's
 * stack, a Node warning); an error line is an exception the server caught
 * but did not expect. Protocol errors are logged at info and are the
 * point of the exercise, not a problem.
 */

const ERROR_LEVEL = 50;
const WARN_LEVEL = 40;
/** Lines kept as examples of each kind, for the report. */
const KEEP = 10;

export class LogWatch {
  lines = 0;
  readonly byLevel: Record<string, number> = {};
  /** Errors, fatal lines and lines that are not JSON (the first few). */
  readonly problems: string[] = [];
  problemCount = 0;
  /** Warnings (the first few): reported, not failures (a refused flood address is a warning). */
  readonly warnings: string[] = [];
  warningCount = 0;

  push(line: string): void {
    if (line.trim() === '') return;
    this.lines++;
    let level: number;
    try {
      const event = JSON.parse(line) as { level?: unknown };
      level = typeof event.level === 'number' ? event.level : NaN;
    } catch {
      level = NaN;
    }
    const name = Number.isNaN(level) ? 'not_json' : String(level);
    this.byLevel[name] = (this.byLevel[name] ?? 0) + 1;
    if (Number.isNaN(level) || level >= ERROR_LEVEL) {
      this.problemCount++;
      if (this.problems.length < KEEP) this.problems.push(line.slice(0, 600));
    } else if (level >= WARN_LEVEL) {
      this.warningCount++;
      if (this.warnings.length < KEEP) this.warnings.push(line.slice(0, 300));
    }
  }

  get ok(): boolean {
    return this.problemCount === 0;
  }
}
