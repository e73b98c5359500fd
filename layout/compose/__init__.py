"""Chinese line composition: character classes, normalisation, breaking and justification."""
