"""One module per CLI command family; ``helm_vnp.cli`` only wires them to typer."""
