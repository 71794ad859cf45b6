// ECRProtocol module.
