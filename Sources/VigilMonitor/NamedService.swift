public import ServiceLifecycle

/// A service that `ServiceGroup` names by `serviceName`. The group names each service
/// `"\(service)"`, which for a struct prints every stored property through reflection, loggers and
/// stores included, before the server starts; even the type's name read at run time,
/// `String(describing: Self.self)`, goes through reflection.
public protocol NamedService: Service, CustomStringConvertible {
    static var serviceName: String { get }
}

extension NamedService {
    public var description: String { Self.serviceName }
}
