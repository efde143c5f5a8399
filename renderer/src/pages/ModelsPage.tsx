/** The Models page. */
export function ModelsPage() {
  return (
    <section className="page" aria-labelledby="page-title-models" data-testid="page-models">
      <header className="page-header">
        <h1 id="page-title-models" className="page-title">Models</h1>
      </header>
    </section>
  );
}
