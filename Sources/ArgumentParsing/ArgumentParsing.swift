// ArgumentParsing module.
