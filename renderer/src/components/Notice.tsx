import { tokenFromHash } from "../bridge/client.js";
import { client, useHearth } from "../store/index.js";
import { Icon } from "./Icon.js";

/** The connection when it is not open, and the last error, each with what to do. */
export function Notice() {
  const connection = useHearth((state) => state.connection);
  const notice = useHearth((state) => state.notice);
  const dismissNotice = useHearth((state) => state.dismissNotice);
  const missingToken = client.binding === "websocket" && tokenFromHash(window.location.hash) === undefined;

  return (
    <>
      {connection !== "open" ? (
        <div className="banner banner-warning" role="status" data-testid="connection-status">
          {connection === "connecting" ? "Connecting to Hearth…" : "The connection to Hearth was lost; reconnecting…"}
          {missingToken ? " This address has no #token=…: open the address that `hearth serve --ui` printed." : null}
        </div>
      ) : null}
      {notice !== undefined ? (
        <div className="banner banner-error" role="alert" data-testid="notice" data-code={notice.code}>
          <span>{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismissNotice}>
            <Icon name="close" />
          </button>
        </div>
      ) : null}
    </>
  );
}
