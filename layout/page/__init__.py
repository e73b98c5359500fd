"""Page composition: article boxes, headline stacks, photos, rules and the running head."""
