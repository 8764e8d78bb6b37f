"""`livret vae tick`: the VAE clocks' daily work (also a task of `livret scheduler`)."""

from __future__ import annotations

import datetime


def cmd_tick(args) -> int:
    from .clocks import tick

    today = datetime.date.fromisoformat(args.date) if args.date else None
    done = tick(today)
    print(f"{done['recevables']} dossier(s) recevable(s) par décision implicite (L. 6412-2).")
    print(f"{done['caduques']} candidature(s) caduque(s) faute d'actualisation.")
    return 0


def register(sub, setup) -> None:
    """Add `vae …` to the `livret` parser; `setup` starts Django before each command."""

    def run(command):
        def call(args):
            setup()
            return command(args)

        return call

    vae = sub.add_parser("vae", help="validation des acquis de l'expérience").add_subparsers(
        dest="action", required=True
    )
    p = vae.add_parser(
        "tick",
        help="chaque jour : recevabilité implicite après deux mois, caducité sans actualisation",
    )
    p.add_argument("--date", help="le jour à considérer (AAAA-MM-JJ ; défaut : aujourd'hui)")
    p.set_defaults(func=run(cmd_tick))
