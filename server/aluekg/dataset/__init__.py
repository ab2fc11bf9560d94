"""The dataset as a whole: its VoID and DCAT description (/.well-known/void) and its dumps
(/dumps/, `aluekg dump`)."""
