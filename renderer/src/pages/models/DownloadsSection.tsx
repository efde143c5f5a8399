import { useId, useState } from "react";
import { useHearth } from "../../store/index.js";
import { downloadFraction, formatBytes, selectDownloadList, selectResumable, type DownloadState } from "../../store/models-page-slice.js";
import { ProgressBar } from "./ProgressBar.js";

const STATE_LABELS: Record<DownloadState["state"], string> = { running: "Downloading", done: "Done", cancelled: "Cancelled", error: "Failed" };

/** The recommended models and an `hf:` URI field, each with a Download button; the downloads with progress, cancel and resume. */
export function DownloadsSection() {
  const recommended = useHearth((state) => state.recommendedModels);
  // Select what the store keeps; lists made from it are made here (a selector must not return a new array each time).
  const downloadsById = useHearth((state) => state.downloads);
  const partialDownloads = useHearth((state) => state.partialDownloads);
  const downloads = selectDownloadList({ downloads: downloadsById });
  const resumable = selectResumable({ partialDownloads, downloads: downloadsById });
  const start = useHearth((state) => state.startDownload);
  const cancel = useHearth((state) => state.cancelDownload);
  const discard = useHearth((state) => state.deleteLocalModel);
  const [uri, setUri] = useState("");
  const id = useId();
  const partNames = new Set(partialDownloads.map((part) => part.fileName));
  const runningUris = new Set(downloads.filter((download) => download.state === "running").map((download) => download.uri));
  const trimmed = uri.trim();
  const uriValid = /^(hf:\S+|https?:\/\/\S+)$/i.test(trimmed);

  return (
    <>
      <form
        className="models-uri-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (uriValid) void start(trimmed).then((downloadId) => downloadId !== undefined && setUri(""));
        }}
      >
        <label htmlFor={`${id}-uri`}>Model URI</label>
        <div className="models-field-row">
          <input
            id={`${id}-uri`}
            className="input"
            data-testid="model-uri"
            placeholder="hf:user/repo:Q4_K_M or https://…/model.gguf"
            value={uri}
            spellCheck={false}
            onChange={(event) => setUri(event.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={!uriValid || runningUris.has(trimmed)}>
            Download
          </button>
        </div>
      </form>

      {downloads.length > 0 || resumable.length > 0 ? (
        <ul className="models-downloads" aria-label="Downloads" data-testid="models-downloads">
          {downloads.map((download) => (
            <li key={download.downloadId} className="models-download" data-testid="model-download" data-state={download.state}>
              <div className="models-download-line">
                <span className="models-download-name">{download.fileName ?? download.uri}</span>
                <span className={`pill${download.state === "error" ? " pill-model-error" : download.state === "done" ? " pill-model-loaded" : ""}`}>{STATE_LABELS[download.state]}</span>
                <span className="muted">
                  {formatBytes(download.bytes)}
                  {download.totalBytes !== undefined ? ` of ${formatBytes(download.totalBytes)}` : ""}
                </span>
                {download.state === "running" ? (
                  <button type="button" className="button button-small" onClick={() => void cancel(download.downloadId)} aria-label={`Cancel the download of ${download.fileName ?? download.uri}`}>
                    Cancel
                  </button>
                ) : null}
                {download.state === "cancelled" || download.state === "error" ? (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={runningUris.has(download.uri)}
                    onClick={() => void start(download.uri)}
                    aria-label={`${download.state === "cancelled" ? "Resume" : "Retry"} the download of ${download.fileName ?? download.uri}`}
                  >
                    {download.state === "cancelled" ? "Resume" : "Retry"}
                  </button>
                ) : null}
                {download.state !== "running" && download.fileName !== undefined && partNames.has(download.fileName) ? (
                  <DiscardButton fileName={download.fileName} onDiscard={discard} />
                ) : null}
              </div>
              {download.state === "running" ? <ProgressBar fraction={downloadFraction(download)} label={`Downloading ${download.fileName ?? download.uri}`} /> : null}
              {download.error !== undefined ? <p className="models-row-error">{download.error}</p> : null}
            </li>
          ))}
          {resumable
            .filter((part) => part.uri === undefined)
            .map((part) => (
              <li key={part.fileName} className="models-download" data-state="partial">
                <div className="models-download-line">
                  <span className="models-download-name">{part.fileName}</span>
                  <span className="pill">Stopped</span>
                  <span className="muted">{formatBytes(part.bytes)} so far: download the same model again to resume</span>
                  <DiscardButton fileName={part.fileName} onDiscard={discard} />
                </div>
              </li>
            ))}
        </ul>
      ) : null}

      <h3 className="models-subtitle">Recommended</h3>
      <ul className="models-recommended" data-testid="models-recommended">
        {recommended.map((model) => (
          <li key={model.uri} className="models-recommended-item">
            <div className="models-recommended-text">
              <span className="models-recommended-name">{model.name}</span>
              {model.sizeBytes !== undefined ? <span className="muted"> · about {formatBytes(model.sizeBytes)}</span> : null}
              {model.description !== undefined ? <p className="models-recommended-description muted">{model.description}</p> : null}
              <code className="models-recommended-uri">{model.uri}</code>
            </div>
            <button type="button" className="button button-small" disabled={runningUris.has(model.uri)} onClick={() => void start(model.uri)} aria-label={`Download ${model.name}`}>
              Download
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Deletes what a stopped download left. */
function DiscardButton({ fileName, onDiscard }: { fileName: string; onDiscard(fileName: string): Promise<boolean> }) {
  return (
    <button type="button" className="button button-small button-quiet" onClick={() => void onDiscard(fileName)} aria-label={`Discard the partial download of ${fileName}`}>
      Discard
    </button>
  );
}
