"""The qbXML version that added each element of the supported requests, and the check that a request
uses no element newer than the version its message set declares.

QuickBooks validates a request against the spec of the version in ``<?qbxml version="X.Y"?>``, so an
element that version lacks breaks the message set as a whole (a parse error, like any schema error),
even where a later schema would accept it. ``SINCE`` is data transcribed from the "vX.Y" notes of
Intuit's catalogue (reference/samples/intuit_qbxmlops/qbxmlops140.xml) for the requests ``shapes_data``
describes; an element without a note is as old as its request. The notes are the same for every
edition, so the table applies to US versions (``16.0``). Decision (no capture): an edition-prefixed
version (``CA3.0``, ``UK2.0``) is not checked, as the catalogue gives no mapping to its numbering.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import QbXmlParseError

_ADDRESS = {"Addr4": "2.0", "Addr5": "6.0", "Note": "6.0"}
_RET = {"IncludeRetElement": "4.0"}
_OWNER = {"OwnerID": "2.0"}
_SITE = {"InventorySiteRef": "10.0", "InventorySiteLocationRef": "12.0", "SerialNumber": "11.0",
         "LotNumber": "11.0"}
_LINE_MOD = {"UnitOfMeasure": "7.0", "OverrideUOMSetRef": "7.0", "PriceLevelRef": "4.0", "TaxAmount": "6.1",
             "OptionForPriceRuleConflict": "13.0", **_SITE, "Other1": "6.0", "Other2": "6.0"}
_CUSTOMER_V12 = dict.fromkeys(("ClassRef", "JobTitle", "ShipToAddress", "Cc", "AdditionalContactRef",
                               "PreferredDeliveryMethod"), "12.0")
_CUSTOMER_MOD_V3 = dict.fromkeys(
    ("IsActive", "ParentRef", "CustomerTypeRef", "TermsRef", "SalesRepRef", "SalesTaxCodeRef",
     "ItemSalesTaxRef", "ResaleNumber", "CreditLimit", "PreferredPaymentMethodRef", "CreditCardInfo",
     "JobStatus", "JobStartDate", "JobProjectedEndDate", "JobEndDate", "JobDesc", "JobTypeRef", "Notes",
     "IsStatementWithParent", "DeliveryMethod"), "3.0")
_EMPLOYEE_V13 = dict.fromkeys(
    ("SupervisorRef", "Department", "Description", "TargetBonus", "EmergencyContacts", "PartOrFullTime",
     "Exempt", "KeyEmployee", "OriginalHireDate", "AdjustedServiceDate", "USCitizen", "Ethnicity", "Disabled",
     "DisabilityDesc", "OnFile", "WorkAuthExpireDate", "USVeteran", "MilitaryStatus"), "13.0")
_VENDOR_TAX_V8 = dict.fromkeys(
    ("SalesTaxCodeRef", "SalesTaxCountry", "IsSalesTaxAgency", "SalesTaxReturnRef", "TaxRegistrationNumber",
     "ReportingPeriod", "IsTaxTrackedOnPurchases", "TaxOnPurchasesAccountRef", "IsTaxTrackedOnSales",
     "TaxOnSalesAccountRef", "IsTaxOnTax", "PrefillAccountRef", "CurrencyRef"), "8.0")
_HOURS = {"HoursUsed": "5.0", "AccrualStartDate": "5.0"}
_NAME_FILTER = {"ListID": "2.0", "ListIDWithChildren": "2.0"}

#: Where (``""`` for the message set, else the path of an element from its request down) → {child
#: element: the qbXML version that added it}.
SINCE: dict[str, dict[str, str]] = {
    "": {"PreferencesQueryRq": "1.1", "InvoiceModRq": "2.1", "TimeTrackingModRq": "6.0", "ClassModRq": "8.0"},
    # queries
    "HostQueryRq": {"IncludeListMetaData": "6.0", **_RET},
    "CompanyQueryRq": {**_RET, **_OWNER},
    "PreferencesQueryRq": _RET,
    "AccountQueryRq": {"CurrencyFilter": "8.0", **_RET, **_OWNER},
    "CustomerQueryRq": {"CurrencyFilter": "8.0", "ClassFilter": "12.0", **_RET, **_OWNER},
    "EmployeeQueryRq": {**_RET, **_OWNER},
    "VendorQueryRq": {"CurrencyFilter": "8.0", "ClassFilter": "12.0", **_RET, **_OWNER},
    "OtherNameQueryRq": {**_RET, **_OWNER},
    "EntityQueryRq": _RET,
    "ClassQueryRq": _RET,
    "ItemServiceQueryRq": {"ClassFilter": "12.0", **_RET, **_OWNER},
    "PayrollItemWageQueryRq": _RET,
    "InvoiceQueryRq": {"RefNumberCaseSensitive": "4.0", "CurrencyFilter": "8.0", "IncludeLinkedTxns": "1.1",
                       **_RET, **_OWNER},
    "InvoiceQueryRq/EntityFilter": _NAME_FILTER,
    "InvoiceQueryRq/AccountFilter": _NAME_FILTER,
    "TimeTrackingQueryRq": _RET,
    # name lists
    "CustomerAddRq": _RET,
    "CustomerAddRq/CustomerAdd": {**_CUSTOMER_V12, "Contacts": "12.0", "AdditionalNotes": "12.0",
                                  "SalesTaxCountry": "6.0", "PreferredPaymentMethodRef": "3.0",
                                  "CreditCardInfo": "3.0", "Notes": "3.0", "PriceLevelRef": "4.0",
                                  "ExternalGUID": "8.0", "TaxRegistrationNumber": "8.0",
                                  "CurrencyRef": "8.0"},
    "CustomerAddRq/CustomerAdd/BillAddress": _ADDRESS,
    "CustomerAddRq/CustomerAdd/ShipAddress": _ADDRESS,
    "CustomerAddRq/CustomerAdd/ShipToAddress": _ADDRESS,
    "CustomerModRq": _RET,
    "CustomerModRq/CustomerMod": {**_CUSTOMER_V12, **_CUSTOMER_MOD_V3, "ContactsMod": "12.0",
                                  "AdditionalNotesMod": "12.0", "SalesTaxCountry": "6.0",
                                  "PriceLevelRef": "4.0", "TaxRegistrationNumber": "8.0",
                                  "CurrencyRef": "8.0"},
    "CustomerModRq/CustomerMod/BillAddress": _ADDRESS,
    "CustomerModRq/CustomerMod/ShipAddress": _ADDRESS,
    "CustomerModRq/CustomerMod/ShipToAddress": _ADDRESS,
    "EmployeeAddRq": _RET,
    "EmployeeAddRq/EmployeeAdd": {**_EMPLOYEE_V13, "JobTitle": "12.0", "Mobile": "2.1", "Pager": "2.1",
                                  "PagerPIN": "2.1", "Fax": "2.1", "AdditionalContactRef": "12.0",
                                  "BirthDate": "2.0", "Notes": "3.0", "AdditionalNotes": "12.0",
                                  "BillingRateRef": "6.0", "EmployeePayrollInfo": "2.0",
                                  "ExternalGUID": "8.0"},
    "EmployeeAddRq/EmployeeAdd/EmployeeAddress": {"Addr4": "2.0"},
    "EmployeeAddRq/EmployeeAdd/EmployeePayrollInfo": {"UseTimeDataToCreatePaychecks": "3.0"},
    "EmployeeAddRq/EmployeeAdd/EmployeePayrollInfo/SickHours": _HOURS,
    "EmployeeAddRq/EmployeeAdd/EmployeePayrollInfo/VacationHours": _HOURS,
    "VendorAddRq": _RET,
    "VendorAddRq/VendorAdd": {**_VENDOR_TAX_V8, "ClassRef": "12.0", "JobTitle": "12.0",
                              "ShipAddress": "11.0", "Cc": "12.0", "AdditionalContactRef": "12.0",
                              "Contacts": "12.0", "Notes": "3.0", "AdditionalNotes": "12.0",
                              "BillingRateRef": "6.0", "ExternalGUID": "8.0"},
    "VendorAddRq/VendorAdd/VendorAddress": _ADDRESS,
    "VendorAddRq/VendorAdd/ShipAddress": _ADDRESS,
    # classes and items
    "ClassAddRq": _RET,
    "ClassModRq": _RET,
    "ItemServiceAddRq": _RET,
    "ItemServiceAddRq/ItemServiceAdd": {"BarCode": "12.0", "ClassRef": "12.0", "UnitOfMeasureSetRef": "7.0",
                                        "IsTaxIncluded": "6.0", "ExternalGUID": "8.0"},
    "ItemServiceAddRq/ItemServiceAdd/SalesAndPurchase": {"PurchaseTaxCodeRef": "6.0"},
    "ItemServiceModRq": _RET,
    "ItemServiceModRq/ItemServiceMod": {"BarCode": "12.0", "ClassRef": "12.0", "UnitOfMeasureSetRef": "7.0",
                                        "ForceUOMChange": "7.0", "IsTaxIncluded": "6.0"},
    "ItemServiceModRq/ItemServiceMod/SalesOrPurchaseMod": {"AccountRef": "7.0",
                                                           "ApplyAccountRefToExistingTxns": "7.0"},
    "ItemServiceModRq/ItemServiceMod/SalesAndPurchaseMod": {
        "IncomeAccountRef": "7.0", "ApplyIncomeAccountRefToExistingTxns": "7.0", "PurchaseTaxCodeRef": "6.0",
        "ExpenseAccountRef": "7.0", "ApplyExpenseAccountRefToExistingTxns": "7.0"},
    # transactions
    "InvoiceAddRq": _RET,
    "InvoiceAddRq/InvoiceAdd": {"TemplateRef": "3.0", "IsFinanceCharge": "8.0", "IsToBeEmailed": "6.0",
                                "IsTaxIncluded": "6.0", "Other": "6.0", "ExchangeRate": "8.0",
                                "ExternalGUID": "9.0", "LinkToTxnID": "6.0", "SetCredit": "10.0",
                                "DiscountLineAdd": "4.0", "SalesTaxLineAdd": "4.0", "ShippingLineAdd": "4.0"},
    "InvoiceAddRq/InvoiceAdd/BillAddress": _ADDRESS,
    "InvoiceAddRq/InvoiceAdd/ShipAddress": _ADDRESS,
    "InvoiceAddRq/InvoiceAdd/SetCredit": {"Override": "10.0"},
    "InvoiceAddRq/InvoiceAdd/InvoiceLineAdd": {
        "UnitOfMeasure": "7.0", "PriceLevelRef": "4.0", "TaxAmount": "6.1",
        "OptionForPriceRuleConflict": "13.0", **_SITE, "IsTaxable": "4.0", "OverrideItemAccountRef": "2.0",
        "Other1": "6.0", "Other2": "6.0", "LinkToTxn": "6.0", "DataExt": "5.0"},
    "InvoiceAddRq/InvoiceAdd/InvoiceLineGroupAdd": {"UnitOfMeasure": "7.0", "InventorySiteRef": "10.0",
                                                    "InventorySiteLocationRef": "12.0", "DataExt": "5.0"},
    "InvoiceModRq": _RET,
    "InvoiceModRq/InvoiceMod": {"TemplateRef": "3.0", "IsToBeEmailed": "6.0", "IsTaxIncluded": "6.0",
                                "Other": "6.0", "ExchangeRate": "8.0", "SetCredit": "10.0"},
    "InvoiceModRq/InvoiceMod/BillAddress": _ADDRESS,
    "InvoiceModRq/InvoiceMod/ShipAddress": _ADDRESS,
    "InvoiceModRq/InvoiceMod/SetCredit": {"Override": "10.0"},
    "InvoiceModRq/InvoiceMod/InvoiceLineMod": _LINE_MOD,
    "InvoiceModRq/InvoiceMod/InvoiceLineGroupMod": {"UnitOfMeasure": "7.0", "OverrideUOMSetRef": "7.0"},
    "InvoiceModRq/InvoiceMod/InvoiceLineGroupMod/InvoiceLineMod": _LINE_MOD,
    "TimeTrackingAddRq": _RET,
    "TimeTrackingAddRq/TimeTrackingAdd": {"BillableStatus": "6.0", "ExternalGUID": "9.0"},
}

_US_VERSION = re.compile(r"([0-9]+)\.([0-9]+)")


def check_versions(root: etree._Element, version: str) -> None:
    """Raise ``QbXmlParseError`` naming the element, the version that added it and ``version`` at the
    first element (or request) of ``root``'s ``QBXMLMsgsRq`` that is newer than ``version``; return None
    if there is none or ``version`` is edition-prefixed. Runs after the schema checks (a valid shape)."""
    declared = _numbers(version)
    msgs = root.find("QBXMLMsgsRq")
    if declared is None or msgs is None:
        return
    for request in msgs.iterchildren(tag=etree.Element):
        _check(request, "", request.tag, declared, version)


def _check(element: etree._Element, parent_path: str, path: str, declared: tuple[int, int],
           version: str) -> None:
    since = SINCE.get(parent_path, {}).get(element.tag)
    if since is not None and _numbers(since) > declared:
        line = f" (line {element.sourceline})" if element.sourceline else ""
        raise QbXmlParseError(f"{path}: <{element.tag}> is new in qbXML {since}; the message set declares "
                              f"qbXML {version}{line}")
    for child in element.iterchildren(tag=etree.Element):
        _check(child, path, f"{path}/{child.tag}", declared, version)


def _numbers(version: str) -> tuple[int, int] | None:
    match = _US_VERSION.fullmatch(version)
    return (int(match[1]), int(match[2])) if match else None
