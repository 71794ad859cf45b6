import ECRProtocol
import ECRTransport

extension TerminalAnswer {
    /// An answer obtained without the engine (another process drives the journal).
    public init(direct request: ECRRequest, response: ECRResponse?, failure: TransportFailure?) {
        self.init(request: request, response: response, failure: failure, attempt: nil)
    }
}
