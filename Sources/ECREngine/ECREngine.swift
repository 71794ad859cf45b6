// ECREngine module.
