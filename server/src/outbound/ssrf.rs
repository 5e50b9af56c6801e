//! The SSRF guard's address rules: which IP addresses a webhook may reach. Anything that is not a
//! public (global unicast) address is refused unless the operator's allow-list admits it. IPv6 forms that
//! embed an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by the IPv4 address they carry.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Why an address is not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    Unspecified,
    Loopback,
    Private,
    SharedCgnat,
    LinkLocal,
    UniqueLocal,
    Multicast,
    Broadcast,
    Documentation,
    Benchmarking,
    ProtocolAssignment,
    Reserved,
}

impl Reserved {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unspecified => "an unspecified address",
            Self::Loopback => "a loopback address",
            Self::Private => "a private-network address",
            Self::SharedCgnat => "a carrier-grade NAT address",
            Self::LinkLocal => "a link-local address",
            Self::UniqueLocal => "a unique-local address",
            Self::Multicast => "a multicast address",
            Self::Broadcast => "the broadcast address",
            Self::Documentation => "a documentation address",
            Self::Benchmarking => "a benchmarking address",
            Self::ProtocolAssignment => "an IETF protocol address",
            Self::Reserved => "a reserved address",
        }
    }
}

/// The operator's allow-list (`HOOKLINE_ALLOW_DESTINATIONS`) plus the rules above.
#[derive(Debug, Clone, Default)]
pub struct DestinationPolicy {
    allowed: Vec<IpNet>,
}

impl DestinationPolicy {
    pub fn new(allowed: Vec<IpNet>) -> Self {
        Self { allowed }
    }

    /// `Ok` when the address may be reached; otherwise why not.
    pub fn check(&self, addr: IpAddr) -> Result<(), Reserved> {
        let canonical = canonical(addr);
        if self
            .allowed
            .iter()
            .any(|net| net.contains(&addr) || net.contains(&canonical))
        {
            return Ok(());
        }
        match classify(canonical) {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }
}

/// The IPv4 address an IPv6 address stands for, where it stands for one.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let o = v6.octets();
    let last32 = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    match s {
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; not :: and ::1).
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(last32),
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => Some(last32),
        // 64:ff9b::/96, the well-known NAT64 prefix.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(last32),
        // 2002:AABB:CCDD::/48, 6to4.
        [0x2002, ..] => Some(Ipv4Addr::new(o[2], o[3], o[4], o[5])),
        _ => None,
    }
}

/// `None` for a public address, else the kind of special-purpose address (IANA registries).
fn classify(addr: IpAddr) -> Option<Reserved> {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(a: Ipv4Addr) -> Option<Reserved> {
    let [b0, b1, b2, _] = a.octets();
    Some(match (b0, b1, b2) {
        (0, _, _) => Reserved::Unspecified,
        (127, _, _) => Reserved::Loopback,
        (10, _, _) => Reserved::Private,
        (172, 16..=31, _) | (192, 168, _) => Reserved::Private,
        (100, 64..=127, _) => Reserved::SharedCgnat,
        (169, 254, _) => Reserved::LinkLocal,
        (192, 0, 0) => Reserved::ProtocolAssignment,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Reserved::Documentation,
        (192, 88, 99) => Reserved::Reserved,
        (198, 18..=19, _) => Reserved::Benchmarking,
        (224..=239, _, _) => Reserved::Multicast,
        _ if a.is_broadcast() => Reserved::Broadcast,
        (240..=255, _, _) => Reserved::Reserved,
        _ => return None,
    })
}

fn classify_v6(a: Ipv6Addr) -> Option<Reserved> {
    let s = a.segments();
    if a.is_unspecified() {
        return Some(Reserved::Unspecified);
    }
    if a.is_loopback() {
        return Some(Reserved::Loopback);
    }
    Some(match s[0] {
        0xff00..=0xffff => Reserved::Multicast,
        0xfe80..=0xfebf => Reserved::LinkLocal,
        // fec0::/10, the deprecated site-local range: treat as private.
        0xfec0..=0xfeff => Reserved::Private,
        0xfc00..=0xfdff => Reserved::UniqueLocal,
        0x2001 if s[1] == 0x0db8 => Reserved::Documentation,
        // 2001::/23 holds Teredo (2001::/32), ORCHID and others: not plain destinations.
        0x2001 if s[1] < 0x0200 => Reserved::ProtocolAssignment,
        0x3fff if s[1] < 0x1000 => Reserved::Documentation,
        // 64:ff9b:1::/48 is local-use NAT64.
        0x0064 if s[1] == 0xff9b => Reserved::Private,
        0x0100 if s[1..4] == [0, 0, 0] => Reserved::Reserved,
        // Everything outside 2000::/3 is not global unicast.
        0x2000..=0x3fff => return None,
        _ => Reserved::Reserved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> Option<Reserved> {
        DestinationPolicy::default().check(s.parse().unwrap()).err()
    }

    #[test]
    fn public_addresses_pass() {
        for a in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "2a00:1450::1",
        ] {
            assert_eq!(refused(a), None, "{a}");
        }
    }

    #[test]
    fn special_ipv4_is_refused() {
        let cases = [
            ("127.0.0.1", Reserved::Loopback),
            ("127.255.0.9", Reserved::Loopback),
            ("10.1.2.3", Reserved::Private),
            ("172.16.0.1", Reserved::Private),
            ("192.168.1.1", Reserved::Private),
            ("169.254.169.254", Reserved::LinkLocal),
            ("100.64.0.1", Reserved::SharedCgnat),
            ("0.0.0.0", Reserved::Unspecified),
            ("224.0.0.1", Reserved::Multicast),
            ("255.255.255.255", Reserved::Broadcast),
            ("240.0.0.1", Reserved::Reserved),
            ("192.0.2.1", Reserved::Documentation),
            ("198.18.0.1", Reserved::Benchmarking),
        ];
        for (a, why) in cases {
            assert_eq!(refused(a), Some(why), "{a}");
        }
    }

    #[test]
    fn special_ipv6_is_refused() {
        assert_eq!(refused("::1"), Some(Reserved::Loopback));
        assert_eq!(refused("::"), Some(Reserved::Unspecified));
        assert_eq!(refused("fe80::1"), Some(Reserved::LinkLocal));
        assert_eq!(refused("fd00::1"), Some(Reserved::UniqueLocal));
        assert_eq!(refused("ff02::1"), Some(Reserved::Multicast));
        assert_eq!(refused("2001:db8::1"), Some(Reserved::Documentation));
        assert_eq!(refused("2001::1"), Some(Reserved::ProtocolAssignment));
        assert_eq!(refused("64:ff9b:1::1"), Some(Reserved::Private));
    }

    #[test]
    fn embedded_ipv4_is_judged_by_what_it_carries() {
        assert_eq!(refused("::ffff:127.0.0.1"), Some(Reserved::Loopback));
        assert_eq!(refused("::ffff:10.0.0.1"), Some(Reserved::Private));
        assert_eq!(refused("::127.0.0.1"), Some(Reserved::Loopback));
        assert_eq!(refused("64:ff9b::a9fe:a9fe"), Some(Reserved::LinkLocal));
        assert_eq!(refused("2002:7f00:1::1"), Some(Reserved::Loopback));
        assert_eq!(refused("2002:c0a8:101::1"), Some(Reserved::Private));
        assert_eq!(refused("::ffff:8.8.8.8"), None);
        assert_eq!(refused("2002:0808:0808::1"), None);
    }

    #[test]
    fn allow_list_admits_networks_and_their_mapped_forms() {
        let policy = DestinationPolicy::new(vec!["127.0.0.0/8".parse().unwrap()]);
        assert!(policy.check("127.0.0.1".parse().unwrap()).is_ok());
        assert!(policy.check("::ffff:127.0.0.1".parse().unwrap()).is_ok());
        assert!(policy.check("10.0.0.1".parse().unwrap()).is_err());
        assert!(policy.check("::1".parse().unwrap()).is_err());
    }
}
