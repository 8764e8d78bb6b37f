"""Long work off the request: a Job row the user follows (progress, result, French error),
run by a django-tasks worker (the database backend by default: no extra service)."""
