import type { ReactNode } from "react";

/** One titled section of the models page; its heading labels it. */
export function ModelsSection({ id, title, description, actions, children }: { id: string; title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="models-section" aria-labelledby={`models-${id}`} data-testid={`models-${id}`}>
      <header className="models-section-header">
        <div>
          <h2 id={`models-${id}`} className="models-section-title">
            {title}
          </h2>
          {description !== undefined ? <p className="models-section-description muted">{description}</p> : null}
        </div>
        {actions !== undefined ? <div className="models-section-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

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
