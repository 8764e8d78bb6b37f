"""Livret: vocational diplomas as data, the livret de compétences, periods, exams and VAE."""
