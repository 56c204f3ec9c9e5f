// A line of progress on stderr while a command waits (on Jest's config, on a run): redrawn in place on a terminal,
// never on stdout (which may be a pipe to another program). Off a terminal it is silent, so a log or a captured
// stderr holds only what happened (errors stay one line) — unless the command's updates are worth a log line each.

export interface Progress {
  /** Shows what the command is waiting for now. */
  update(line: string): void;
  /** Clears the line (on a terminal); what was printed to a log stays. */
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Off a terminal, write each update as a line (a long hunt's runs, in a CI log). Default: silent. */
  log?: boolean;
}

export function progress(stream: ProgressStream = process.stderr, options: ProgressOptions = {}): Progress {
  const tty = stream.isTTY === true;
  let shown = false;
  return {
    update(line) {
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 120) - 1)}`);
        shown = true;
      } else if (options.log) stream.write(`${line}\n`);
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
