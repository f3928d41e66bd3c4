"""``python -m helm_vnp`` runs the CLI."""
from helm_vnp.cli import main

if __name__ == "__main__":
    main()
