// Module CTInput.
