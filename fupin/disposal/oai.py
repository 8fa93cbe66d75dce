"""OAI-PMH 2.0 over the public catalogue (PublicRecord): oai_dc metadata of opened records,
sets per fonds and per fonds and year, resumption tokens, deleted (withdrawn) records kept
for harvesters. Errors are the protocol's own codes; every answer is HTTP 200 XML."""

import datetime
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from fupin.disposal.models import PublicRecord

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)

VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
PAGE = 50
_SALT = "fupin.disposal.oai"


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def repository_id() -> str:
    return str(getattr(settings, "FUPIN_OAI_REPOSITORY", "fupin.archives"))


def identifier(record: PublicRecord) -> str:
    return f"oai:{repository_id()}:{record.pk}"


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _q(tag: str, ns: str = OAI) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = OAI, **attrs: str):
    element = ET.SubElement(parent, _q(tag, ns), attrs)
    if text is not None:
        element.text = text
    return element


@dataclass(frozen=True)
class Request:
    verb: str
    args: dict[str, str]
    base_url: str


def respond(params: dict[str, list[str]], base_url: str) -> bytes:
    """The whole response document for these request arguments."""
    root = ET.Element(_q("OAI-PMH"))
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, "responseDate", _stamp(timezone.now()))
    request = _sub(root, "request", base_url)
    try:
        parsed = _parse(params, base_url)
        _VERB_HANDLERS[parsed.verb](root, parsed)
    except OaiError as error:
        _sub(root, "error", str(error), code=error.code)
        # After badVerb or badArgument the request element carries the base URL only.
        if error.code in ("badVerb", "badArgument"):
            return ET.tostring(root, encoding="utf-8", xml_declaration=True)
    for key, value in sorted({"verb": parsed.verb, **parsed.args}.items()):
        request.set(key, value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _parse(params: dict[str, list[str]], base_url: str) -> Request:
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "缺少或无法识别的 verb 参数（Illegal or missing verb）。")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for key, values in params.items():
        if key == "verb":
            continue
        if key not in required | optional:
            raise OaiError("badArgument", f"{verb} 不接受参数 {key}。")
        if len(values) != 1:
            raise OaiError("badArgument", f"参数 {key} 重复。")
        args[key] = values[0]
    if "resumptionToken" in args:
        if len(args) != 1:
            raise OaiError("badArgument", "resumptionToken 须单独使用。")
    elif missing := sorted(required - set(args)):
        raise OaiError("badArgument", f"{verb} 缺少必需参数：{'、'.join(missing)}。")
    return Request(verb, args, base_url)


def _identify(root: ET.Element, request: Request) -> None:
    body = _sub(root, "Identify")
    _sub(body, "repositoryName", str(getattr(settings, "FUPIN_OAI_NAME", "精准扶贫档案开放目录")))
    _sub(body, "baseURL", request.base_url)
    _sub(body, "protocolVersion", "2.0")
    _sub(
        body,
        "adminEmail",
        str(getattr(settings, "FUPIN_OAI_ADMIN_EMAIL", "archives@archives.invalid")),
    )
    first = PublicRecord.objects.order_by("changed_at").values_list("changed_at", flat=True).first()
    _sub(body, "earliestDatestamp", _stamp(first or timezone.now()))
    _sub(body, "deletedRecord", "persistent")
    _sub(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def _formats(root: ET.Element, request: Request) -> None:
    if "identifier" in request.args:
        _record(request.args["identifier"])
    body = _sub(root, "ListMetadataFormats")
    fmt = _sub(body, "metadataFormat")
    _sub(fmt, "metadataPrefix", "oai_dc")
    _sub(fmt, "schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    _sub(fmt, "metadataNamespace", OAI_DC)


def _set_specs() -> list[tuple[str, str]]:
    specs: list[tuple[str, str]] = []
    fonds = (
        PublicRecord.objects.order_by("fonds_code", "year")
        .values_list("fonds_code", "fonds_name", "year")
        .distinct()
    )
    seen = set()
    for code, name, year in fonds:
        if code not in seen:
            seen.add(code)
            specs.append((_spec(code), f"全宗 {code} {name}"))
        specs.append((f"{_spec(code)}:{year}", f"全宗 {code} {name} {year}年"))
    return specs


def _spec(fonds_code: str) -> str:
    # setSpec allows only unreserved URI characters; other characters are spelled by number.
    return "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.!~*'()") else f"_{ord(c):x}"
        for c in fonds_code
    )


def _sets(root: ET.Element, request: Request) -> None:
    if "resumptionToken" in request.args:
        raise OaiError("badResumptionToken", "集合列表一次给全，没有续取令牌。")
    specs = _set_specs()
    if not specs:
        raise OaiError("noSetHierarchy", "目前没有开放档案，也就没有集合。")
    body = _sub(root, "ListSets")
    for spec, name in specs:
        item = _sub(body, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def _date(text: str, end: bool) -> tuple[datetime.datetime, str]:
    for fmt, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            moment = datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
        if granularity == "day" and end:
            moment += datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
        return moment, granularity
    raise OaiError("badArgument", f"日期“{text}”不合格式（YYYY-MM-DD 或 YYYY-MM-DDThh:mm:ssZ）。")


def _selection(request: Request) -> tuple[dict[str, str], int]:
    """The list arguments and the offset, from the request or its resumption token."""
    if "resumptionToken" in request.args:
        try:
            state = signing.loads(request.args["resumptionToken"], salt=_SALT)
            return {k: v for k, v in state["a"].items()}, int(state["o"])
        except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
            raise OaiError("badResumptionToken", "续取令牌无效或已过期。") from exc
    return dict(request.args), 0


def _matching(args: dict[str, str]) -> QuerySet[PublicRecord]:
    if args.get("metadataPrefix") != "oai_dc":
        raise OaiError("cannotDisseminateFormat", "只提供 oai_dc 格式的元数据。")
    rows = PublicRecord.objects.all()
    granularities = set()
    if "from" in args:
        start, kind = _date(args["from"], end=False)
        rows, _ = rows.filter(changed_at__gte=start), granularities.add(kind)
    if "until" in args:
        stop, kind = _date(args["until"], end=True)
        rows, _ = rows.filter(changed_at__lte=stop), granularities.add(kind)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from 与 until 的日期粒度不一致。")
    if (
        "from" in args
        and "until" in args
        and _date(args["from"], False)[0] > _date(args["until"], True)[0]
    ):
        raise OaiError("badArgument", "from 晚于 until。")
    if "set" in args:
        specs = dict(_set_specs())
        if args["set"] not in specs:
            raise OaiError("noRecordsMatch", f"没有集合 {args['set']}。")
        fonds_spec, _, year = args["set"].partition(":")
        codes = [
            c
            for c in PublicRecord.objects.values_list("fonds_code", flat=True).distinct()
            if _spec(c) == fonds_spec
        ]
        rows = rows.filter(fonds_code__in=codes)
        if year:
            rows = rows.filter(year=int(year))
    return rows.order_by("pk")


def _list(root: ET.Element, request: Request) -> None:
    args, offset = _selection(request)
    rows = _matching(args)
    total = rows.count()
    page = list(rows[offset : offset + PAGE])
    if not page:
        raise OaiError("noRecordsMatch", "没有符合条件的记录。")
    body = _sub(root, request.verb)
    for record in page:
        if request.verb == "ListRecords":
            _record_element(body, record)
        else:
            _header(body, record)
    if offset + PAGE < total or offset:
        token = ""
        if offset + PAGE < total:
            token = signing.dumps({"a": args, "o": offset + PAGE}, salt=_SALT)
        _sub(body, "resumptionToken", token, completeListSize=str(total), cursor=str(offset))


def _record(text: str) -> PublicRecord:
    prefix = f"oai:{repository_id()}:"
    number = text.removeprefix(prefix)
    found = (
        PublicRecord.objects.filter(pk=int(number)).first()
        if text.startswith(prefix) and number.isdigit()
        else None
    )
    if found is None:
        raise OaiError("idDoesNotExist", f"没有标识为 {text} 的记录。")
    return found


def _get(root: ET.Element, request: Request) -> None:
    record = _record(request.args["identifier"])
    if request.args["metadataPrefix"] != "oai_dc":
        raise OaiError("cannotDisseminateFormat", "只提供 oai_dc 格式的元数据。")
    _record_element(_sub(root, "GetRecord"), record)


def _header(parent: ET.Element, record: PublicRecord) -> ET.Element:
    attrs = {"status": "deleted"} if record.withdrawn else {}
    header = _sub(parent, "header", **attrs)
    _sub(header, "identifier", identifier(record))
    _sub(header, "datestamp", _stamp(record.changed_at))
    _sub(header, "setSpec", _spec(record.fonds_code))
    _sub(header, "setSpec", f"{_spec(record.fonds_code)}:{record.year}")
    return header


def _record_element(parent: ET.Element, record: PublicRecord) -> None:
    element = _sub(parent, "record")
    _header(element, record)
    if record.withdrawn:
        return
    metadata = _sub(element, "metadata")
    dc = ET.SubElement(metadata, _q("dc", OAI_DC))
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    for tag, value in (
        ("title", record.title),
        ("creator", record.responsible),
        ("subject", record.class_name),
        ("date", record.date.isoformat()),
        ("type", record.category),
        ("identifier", record.reference_code),
        ("source", f"{record.fonds_code} {record.fonds_name}"),
        ("language", "zh"),
    ):
        _sub(dc, tag, value, ns=DC)


_VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _formats,
    "ListSets": _sets,
    "ListIdentifiers": _list,
    "ListRecords": _list,
    "GetRecord": _get,
}
