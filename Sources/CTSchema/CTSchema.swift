// Module CTSchema.
