import { useEffect, useId, useState } from "react";
import { useHearth } from "../../store/index.js";
import { PageSection } from "../../components/PageSection.js";

/** The most threads the setting takes (the contract's limit). */
const MAX_THREADS = 512;

/** CPU threads for local inference: automatic or a number; applies from the next model load. */
export function PerformanceSection() {
  const threads = useHearth((state) => state.settings?.threads);
  const updateSettings = useHearth((state) => state.updateSettings);
  const [draft, setDraft] = useState("");
  const inputId = useId();
  const noteId = useId();

  useEffect(() => {
    if (typeof threads === "number") setDraft(String(threads));
  }, [threads]);

  const fixed = typeof threads === "number";
  const count = Number(draft);
  const valid = Number.isInteger(count) && count >= 1 && count <= MAX_THREADS;

  return (
    <PageSection page="settings" id="performance" title="Performance">
      <fieldset className="settings-fieldset" disabled={threads === undefined} aria-describedby={noteId}>
        <legend className="settings-legend">CPU threads</legend>
        <label className="settings-choice">
          <input type="radio" name="threads" checked={threads === "auto"} data-testid="threads-auto" onChange={() => void updateSettings({ threads: "auto" })} />
          Automatic <span className="muted">(the machine's physical cores)</span>
        </label>
        {/* Not a <form>: its radio would leave the group of the one above. */}
        <div className="settings-choice settings-threads">
          <input
            type="radio"
            name="threads"
            aria-label="A fixed number of threads"
            checked={fixed}
            data-testid="threads-fixed"
            onChange={() => {
              const start = valid ? count : 4;
              setDraft(String(start));
              void updateSettings({ threads: start });
            }}
          />
          <label htmlFor={inputId}>Fixed:</label>
          <input
            id={inputId}
            className="input settings-number"
            type="number"
            min={1}
            max={MAX_THREADS}
            step={1}
            inputMode="numeric"
            value={draft}
            placeholder="4"
            aria-invalid={draft !== "" && !valid}
            data-testid="threads-count"
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && valid) void updateSettings({ threads: count });
            }}
          />
          <button type="button" className="button button-small" disabled={!valid || threads === count} onClick={() => void updateSettings({ threads: count })}>
            Apply
          </button>
        </div>
        <p id={noteId} className="settings-note muted">
          Applies from the next model load; a loaded model keeps its threads until it is loaded again.
        </p>
      </fieldset>
    </PageSection>
  );
}
