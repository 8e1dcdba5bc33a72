"""Pages of the clusters app: `blocs` (blocs, clusters, members, the scoring table, the covenant) and
`year` (a cluster's year: sheets, appraisal, explanation, ranking, conference, proposals, results)."""
