// Module CTLint.
