// ECRSimulator module.
