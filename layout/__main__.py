"""`python -m layout` and the `paiban` program (pyproject's console script)."""

import gc


def main() -> None:
    # Importing paiban makes some 50,000 objects that live until the process ends; the
    # cyclic collector's passes over them during the imports cost ~5 ms of every run.
    gc.disable()
    from layout.cli import run

    gc.enable()
    run()


if __name__ == "__main__":
    main()
