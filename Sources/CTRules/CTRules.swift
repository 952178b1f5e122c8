// Module CTRules.
