import { useCallback, useEffect, useMemo, useRef } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import { buildChatRows, type ChatRow } from "../store/chat-rows.js";
import { useHearth } from "../store/index.js";
import { selectOpenTurn } from "../store/selectors.js";
import { EmptyState } from "./EmptyState.js";
import { MessageRow } from "./MessageRow.js";

/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 80;

const rowKey = (_index: number, row: ChatRow) => row.key;
const renderRow = (_index: number, row: ChatRow) => <MessageRow row={row} />;

/**
 * The open conversation as a virtual list. It follows the bottom while an answer streams,
 * as long as the reader has not scrolled up: whether they were at the bottom is known from
 * the last scroll, because growing content moves the bottom without a scroll event.
 */
export function ChatView() {
  const conversationId = useHearth((state) => state.selectedConversationId);
  const messages = useHearth((state) => state.messages);
  const records = useHearth((state) => state.toolCallRecords);
  const answerStats = useHearth((state) => state.answerStats);
  const loading = useHearth((state) => state.chatLoading);
  const turn = useHearth(selectOpenTurn);
  const rows = useMemo(() => buildChatRows(messages, records, turn, answerStats), [messages, records, turn, answerStats]);
  const list = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const pinned = useRef(true);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (element !== null) pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
  }, []);

  const setScroller = useCallback(
    (element: HTMLElement | Window | null) => {
      scroller.current?.removeEventListener("scroll", onScroll);
      scroller.current = element instanceof HTMLElement ? element : null;
      scroller.current?.addEventListener("scroll", onScroll, { passive: true });
    },
    [onScroll],
  );

  const followBottom = useCallback(() => {
    const element = scroller.current;
    if (pinned.current && element !== null) element.scrollTop = element.scrollHeight;
  }, []);

  // A new turn of this page's user: go to the bottom whatever the scroll position.
  const userText = turn?.userText;
  useEffect(() => {
    if (userText === undefined) return;
    pinned.current = true;
    list.current?.scrollToIndex({ index: "LAST", align: "end" });
  }, [userText]);

  if (rows.length === 0) {
    return <div className="chat-empty">{loading ? <p className="muted" role="status">Loading…</p> : <EmptyState />}</div>;
  }
  return (
    <section className="chat" aria-label="Messages">
      <Virtuoso
        key={conversationId ?? "none"}
        ref={list}
        scrollerRef={setScroller}
        className="chat-list"
        data={rows}
        computeItemKey={rowKey}
        itemContent={renderRow}
        initialTopMostItemIndex={{ index: "LAST", align: "end" }}
        followOutput={() => (pinned.current ? "auto" : false)}
        totalListHeightChanged={followBottom}
        increaseViewportBy={{ top: 400, bottom: 400 }}
      />
    </section>
  );
}
