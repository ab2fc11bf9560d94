"""`python -m aluekg.registry` regenerates data/registry/*.ttl."""

from aluekg.registry import main

main()
