"""Repositories: the queries of one kind of row each, over the session a UnitOfWork opens."""
