/** The MCP servers page. */
export function ServersPage() {
  return (
    <section className="page" aria-labelledby="page-title-servers" data-testid="page-servers">
      <header className="page-header">
        <h1 id="page-title-servers" className="page-title">MCP servers</h1>
      </header>
    </section>
  );
}
