/** A labelled progress bar; `fraction` undefined: the size is unknown (an indeterminate bar). */
export function ProgressBar({ fraction, label, testId }: { fraction: number | undefined; label: string; testId?: string }) {
  const percent = fraction === undefined ? undefined : Math.round(fraction * 100);
  return (
    <div
      className={`models-progress${percent === undefined ? " models-progress-indeterminate" : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(percent !== undefined ? { "aria-valuenow": percent } : {})}
      data-testid={testId}
    >
      <div className="models-progress-fill" style={{ width: `${percent ?? 100}%` }} />
    </div>
  );
}
