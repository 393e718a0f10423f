// The exit codes of every command, in a module of its own so the command line can name them without loading the reporter.
export const ExitCode = { ok: 0, content: 1, usage: 2, interrupted: 130, terminated: 143 } as const
