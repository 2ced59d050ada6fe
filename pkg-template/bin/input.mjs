// The one reader of input files, shared by every command that reads one: bytes decoded once
// (UTF-8 with or without a byte-order mark by default, any encoding Node's TextDecoder knows with
// --encoding, e.g. gbk), CSV through csv-parse (quotes, commas, quotes and newlines in fields,
// CRLF or LF, a header naming columns in any order) or JSON Lines, and every bad row reported
// as "file:line: why" while the good rows go on.
import { createReadStream, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { CliError } from "./exit.mjs";

/** The input formats, by name, and the file extensions that select them without --format. */
export const FORMATS = { csv: [".csv", ".txt"], jsonl: [".jsonl", ".ndjson", ".json"] };

/** `--format` or the file's extension: "csv" unless the extension says JSON Lines. */
export function formatOf(file, format) {
  if (format) return format;
  return FORMATS.jsonl.some((ext) => file.toLowerCase().endsWith(ext)) ? "jsonl" : "csv";
}

/** A fatal TextDecoder for `--encoding` (default UTF-8); an unknown label is a usage error. */
export function decoder(encoding = "utf-8") {
  try {
    return new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new CliError("usage", `--encoding ${JSON.stringify(encoding)}: not an encoding Node knows (e.g. utf-8, gbk, gb18030, big5, shift_jis, utf-16le)`);
  }
}

/** One line for a file system error of `file`. */
function fileError(file, e) {
  const why = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "is a directory", EMFILE: "too many open files" }[e.code] ?? e.message;
  return new CliError("input", `cannot read ${file}: ${why}`);
}

/** The input error for bytes that are not in `encoding`, naming the first bad line. */
function encodingError(file, encoding, bytes) {
  const text = new TextDecoder(encoding).decode(bytes);
  const at = text.indexOf("\uFFFD");
  const line = at < 0 ? 1 : text.slice(0, at).split("\n").length;
  const hint = /^utf-?8$/i.test(encoding) ? ": if it was saved as GBK (Chinese Excel, WPS), add --encoding gbk; otherwise --encoding NAME" : "";
  return new CliError("input", `${file}:${line}: not valid ${encoding}${hint}`);
}

/** The text of `file`, decoded once; the byte-order mark (UTF-8 or UTF-16) is dropped. */
export function readText(file, encoding = "utf-8") {
  const decode = decoder(encoding);
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    return decode.decode(bytes);
  } catch {
    throw encodingError(file, encoding, bytes);
  }
}

/**
 * The lines of `file`, streamed and decoded once, as `{ line, text }` (1-based, CR dropped);
 * blank lines are skipped. For files too large to hold, such as snapshots.
 */
export async function* readLines(file, encoding = "utf-8") {
  const decode = decoder(encoding);
  let line = 0;
  let rest = "";
  const stream = createReadStream(file);
  try {
    for await (const chunk of stream) {
      let text;
      try {
        text = rest + decode.decode(chunk, { stream: true });
      } catch {
        throw new CliError("input", `${file}:${line + rest.split("\n").length}: not valid ${encoding} (--encoding NAME reads another encoding)`);
      }
      const parts = text.split("\n");
      rest = parts.pop();
      for (const part of parts) {
        line += 1;
        const clean = part.endsWith("\r") ? part.slice(0, -1) : part;
        if (clean.trim() !== "") yield { line, text: clean };
      }
    }
    rest += decode.decode();
  } catch (e) {
    throw e instanceof CliError ? e : e.code ? fileError(file, e) : new CliError("input", `${file}: not valid ${encoding}`);
  }
  if (rest.trim() !== "") yield { line: line + 1, text: rest.endsWith("\r") ? rest.slice(0, -1) : rest };
}

/** The number of "\n" in `raw` between its first and last non-newline character. */
const innerNewlines = (raw) => (raw.replace(/^\n+|\n+$/g, "").match(/\n/g) ?? []).length;

/**
 * The rows of a CSV text, each `{ line, cells }` (the line the row starts on), and its bad rows
 * `{ line, message }`. Fields may be quoted, with commas, doubled quotes and line breaks inside.
 */
export function csvRows(text) {
  // One line ending everywhere: line numbers then count "\n" only, and a quoted line break in a
  // remark reads the same from Windows and Unix files.
  const normal = text.replace(/\r\n?/g, "\n");
  const bad = [];
  const records = parse(normal, {
    info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      const line = err.lines - innerNewlines(raw ?? "");
      const why = err.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted field opens here and never closes" : err.message.replace(/ at line \d+/, "");
      bad.push({ line, message: `bad CSV: ${why}` });
    },
  });
  const rows = records.map(({ record, raw, info }) => ({ line: info.lines - innerNewlines(raw), cells: record }));
  return { rows, bad };
}

/**
 * The rows of `file` as objects, with its bad rows. CSV: a first row naming `key` (any case)
 * is the header, naming columns in any order (a repeated column gives a list of values; unknown
 * columns are left out and listed in `ignored`); without one, the cells are `order`. JSON Lines:
 * one object a line.
 * Returns `{ rows: [{ line, values }], bad: [{ line, message }], ignored: string[] }`.
 */
export function readTable(file, { format, encoding, key, columns, order }) {
  const text = readText(file, encoding);
  if (formatOf(file, format) === "jsonl") return jsonRows(text);
  const { rows, bad } = csvRows(text);
  const known = new Map(columns.map((c) => [c.toLowerCase(), c]));
  let names = order;
  let ignored = [];
  if (rows.length && rows[0].cells.some((c) => c.toLowerCase() === key.toLowerCase())) {
    const header = rows.shift().cells;
    names = header.map((c) => known.get(c.toLowerCase()) ?? null);
    ignored = header.filter((c, i) => names[i] === null && c !== "");
  }
  const out = [];
  for (const { line, cells } of rows) {
    const extra = cells.slice(names.length).filter((c) => c !== "");
    if (extra.length) {
      bad.push({ line, message: `${cells.length} cells, but only ${names.length} columns are known (${names.filter(Boolean).join(", ")})` });
      continue;
    }
    const values = {};
    cells.forEach((cell, i) => {
      const name = names[i];
      if (!name || cell === "") return;
      values[name] = name in values ? [values[name], cell].flat() : cell;
    });
    out.push({ line, values });
  }
  bad.sort((a, b) => a.line - b.line);
  return { rows: out, bad, ignored };
}

/** JSON Lines: one object a line; anything else is a bad row with its line. */
function jsonRows(text) {
  const rows = [];
  const bad = [];
  text.split("\n").forEach((raw, i) => {
    const t = raw.trim();
    if (t === "") return;
    let value;
    try {
      value = JSON.parse(t);
    } catch (e) {
      bad.push({ line: i + 1, message: `not JSON: ${e.message}` });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) bad.push({ line: i + 1, message: "not a JSON object" });
    else rows.push({ line: i + 1, values: value });
  });
  return { rows, bad, ignored: [] };
}
