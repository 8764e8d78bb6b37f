"""« Mon centre »: the manager's pages for his centre's own records (team, tutors, companies,
cohorts, learners, contracts, agreements) and settings, the one registry of those record kinds
(livret.centre.kinds) that the pages and the importer read, and the staff's homes over all the
centre's cohorts (homes.py: the cohort list, the manager's dashboard)."""
