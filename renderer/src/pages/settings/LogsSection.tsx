import { useId } from "react";
import { useShallow } from "zustand/react/shallow";
import { useHearth } from "../../store/index.js";
import type { LogEntry, LogLevel } from "../../store/settings-slice.js";
import { PageSection } from "../../components/PageSection.js";

const LEVELS: ReadonlyArray<{ level: LogLevel; label: string }> = [
  { level: "debug", label: "Everything" },
  { level: "info", label: "Info and above" },
  { level: "warn", label: "Warnings and errors" },
  { level: "error", label: "Errors only" },
];

/** `HH:MM:SS.mmm`, in local time; the date too when it is not today. */
function formatTime(at: number, now = Date.now()): string {
  const date = new Date(at);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  return new Date(now).toDateString() === date.toDateString() ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** The log viewer: the app's log and each MCP server's, filtered by source and level. */
export function LogsSection() {
  const filter = useHearth((state) => state.logFilter);
  const entries = useHearth((state) => state.logEntries);
  const loading = useHearth((state) => state.logsLoading);
  const loadLogs = useHearth((state) => state.loadLogs);
  const serverIds = useHearth(useShallow((state) => state.servers.map((server) => server.id)));
  const sourceId = useId();
  const levelId = useId();
  // A server whose id is no longer in the list keeps its entries: still offer it while chosen.
  const sources = filter.source !== undefined && filter.source !== "app" && !serverIds.includes(filter.source) ? [...serverIds, filter.source] : serverIds;

  return (
    <PageSection
      page="settings"
      id="logs"
      title="Logs"
      description="Hearth's own log and what each MCP server wrote to stderr or sent as log messages, newest first. A server's line is timed when Hearth read it; lines written before Hearth began recording show that moment."
      actions={
        <button type="button" className="button button-small" data-testid="logs-refresh" disabled={loading} onClick={() => void loadLogs()}>
          {loading ? "Refreshing…" : "Refresh"}
        </button>
      }
    >
      <div className="logs-filters">
        <label htmlFor={sourceId}>Source</label>
        <select id={sourceId} className="select" data-testid="logs-source" value={filter.source ?? ""} onChange={(event) => void loadLogs({ source: event.target.value === "" ? undefined : event.target.value })}>
          <option value="">All</option>
          <option value="app">Hearth</option>
          {sources.map((id) => (
            <option key={id} value={id}>
              Server: {id}
            </option>
          ))}
        </select>
        <label htmlFor={levelId}>Level</label>
        <select id={levelId} className="select" data-testid="logs-level" value={filter.level} onChange={(event) => void loadLogs({ level: event.target.value as LogLevel })}>
          {LEVELS.map((choice) => (
            <option key={choice.level} value={choice.level}>
              {choice.label}
            </option>
          ))}
        </select>
        <span className="muted logs-count" aria-live="polite">
          {entries.length} {entries.length === 1 ? "entry" : "entries"}
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="settings-empty muted" data-testid="logs-empty">
          {loading ? "Loading…" : "Nothing logged at this level yet."}
        </p>
      ) : (
        <ol className="log-list" aria-label="Log entries" tabIndex={0} data-testid="log-list">
          {entries.map((entry, index) => (
            <LogLine key={`${entry.at}-${index}`} entry={entry} />
          ))}
        </ol>
      )}
    </PageSection>
  );
}

function LogLine({ entry }: { entry: LogEntry }) {
  return (
    <li className={`log-entry log-entry-${entry.level}`} data-testid="log-entry" data-level={entry.level} data-source={entry.source}>
      <time className="log-time" dateTime={new Date(entry.at).toISOString()}>
        {formatTime(entry.at)}
      </time>
      <span className="log-level">{entry.level}</span>
      <span className="log-source" title={entry.source}>
        {entry.source}
      </span>
      <span className="log-text">{entry.text}</span>
    </li>
  );
}
