"""Page makeup (组版): the engine chooses the boxes of the stories the editor did not place."""
