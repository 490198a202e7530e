"""The headless core: article model, loaders, library, topics. Imports no Qt."""
