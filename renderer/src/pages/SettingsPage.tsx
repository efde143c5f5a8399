/** The Settings page. */
export function SettingsPage() {
  return (
    <section className="page" aria-labelledby="page-title-settings" data-testid="page-settings">
      <header className="page-header">
        <h1 id="page-title-settings" className="page-title">Settings</h1>
      </header>
    </section>
  );
}
