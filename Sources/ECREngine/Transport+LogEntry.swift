import ECRProtocol
import ECRTransport

extension Transport {
    /// The request sent with the wire log's entry as its tag, so what the transport measures
    /// (timings, the TLS chain) lands on that entry however many requests are on the wire.
    func perform(_ request: ECRRequest, forLogEntry entry: Int) async -> Result<ECRResponse, TransportFailure> {
        await WireExchangeTag.$current.withValue(entry) {
            do throws(TransportFailure) { return .success(try await perform(request)) } catch { return .failure(error) }
        }
    }
}
