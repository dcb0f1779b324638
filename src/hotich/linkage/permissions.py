"""The linkage actions (their roles are in ``hotich.accounts.authz.PERMISSIONS``)."""

VIEW = "linkage.view"
RUN = "linkage.run"
REVIEW = "linkage.review"
RESOLVE = "linkage.resolve"
