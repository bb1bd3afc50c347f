"""The qbXML requests the simulator supports, described as data for its own schema checks.

Transcribed from Intuit's qbXML 16.0 schema (reference/xsd/qbxml160/qbxml160.xsd, qbxmlops160.xsd) with the
lengths annotated in reference/samples/intuit_qbxmlops/qbxmlops140.xml. The 13.0 schema has the same shapes
for all of these but EmployeeAdd's EmployeePayrollInfo, which 16.0 extends: the own checks follow 16.0 (the
13.0 XSD, when present, still judges a ≤13.0 message set). Every element these requests allow is described —
no subtree is left as "any content". Notation: see ``shapes_model``; leaf elements and references: see
``shapes_elements``, whose ``ELEMENTS`` table the aggregates below join. Schema quirks kept here:
``RefNumber`` is ≤11 only in Add/Mod (queries take any length), and EmployeeAddress's Addr3/Addr4/Country
have no maximum length.

``REQUESTS`` maps each supported ``…Rq`` to its shape; ``QBXML`` is the envelope, whose ``QBXMLMsgsRq``
accepts any request in ``shapes_catalog`` and checks those described here.
"""

from __future__ import annotations

from .shapes_catalog import ALL_REQUESTS
from .shapes_elements import ELEMENTS, enum, shape
from .shapes_model import UNCHECKED, Complex, Type
from .shapes_types import ID, MACRO, STR, SimpleType

__all__ = ["ELEMENTS", "QBXML", "REQUESTS"]


def upto(name: str, count: int) -> str:
    """The schema's ``maxOccurs="count"`` (minOccurs 0): the notation has no bounded repeat, and
    ``count`` optional copies in a row accept 0 to ``count`` elements."""
    return " ".join([f"{name}?"] * count)


_ID_LIST = "(ListID+ | FullName+ | ListIDWithChildren | FullNameWithChildren)"
_ADDRESS = shape("Addr1? Addr2? Addr3? Addr4? Addr5? City? State? PostalCode? Country? Note?")
_TIME_FIELDS = ("TxnDate? EntityRef CustomerRef? ItemServiceRef? Rate? Duration ClassRef? "
                "PayrollItemWageRef? Notes? BillableStatus?")
_INVOICE_HEAD = ("ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber?:STR11 BillAddress? ShipAddress? "
                 "IsPending?")
_INVOICE_MIDDLE = ("PONumber? TermsRef? DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? "
                   "ItemSalesTaxRef? Memo? CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
                   "CustomerSalesTaxCodeRef? Other? ExchangeRate?")
_LINE_PRICE = "(Rate | RatePercent | PriceLevelRef)? ClassRef? Amount? TaxAmount? OptionForPriceRuleConflict?"
_LINE_SITE = ("InventorySiteRef? InventorySiteLocationRef? (SerialNumber? | LotNumber?)? ServiceDate? "
              "SalesTaxCodeRef?")
_LINE_MOD = (f"TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? {_LINE_PRICE} "
             f"{_LINE_SITE} OverrideItemAccountRef? Other1? Other2?")
# The name lists: the schema's PersonName and CommInfo groups, its ContactInfo, and the shared parts of
# CustomerAdd and CustomerMod.
_PERSON = "Salutation?:STR15 FirstName?:STR25 MiddleName?:STR5 LastName?:STR25 Suffix?"
_COMM = ("Phone?:STR21 Mobile?:STR21 Pager?:STR21 AltPhone?:STR21 Fax?:STR21 Email?:STR1023 Cc?:STR1023 "
         "Contact?:STR41 AltContact?:STR41")
_CONTACT = ("Salutation?:STR15 FirstName:STR25 MiddleName?:STR5 LastName?:STR25 JobTitle?:STR41 "
            f"{upto('AdditionalContactRef', 5)}")
_CONTACT_REFS = upto("AdditionalContactRef", 8)
_CUSTOMER_HEAD = (f"IsActive? ClassRef? ParentRef? CompanyName?:STR41 {_PERSON} JobTitle?:STR41 BillAddress? "
                  f"ShipAddress? {upto('ShipToAddress', 50)} PrintAs?:STR41 {_COMM} {_CONTACT_REFS}")
_CUSTOMER_MIDDLE = ("SalesTaxCodeRef? ItemSalesTaxRef? SalesTaxCountry? ResaleNumber?:STR15 "
                    "AccountNumber?:STR99 CreditLimit? PreferredPaymentMethodRef? CreditCardInfo? JobStatus? "
                    "JobStartDate? JobProjectedEndDate? JobEndDate? JobDesc?:STR99 JobTypeRef? Notes?")
_CUSTOMER_TAIL = "IsStatementWithParent? DeliveryMethod? PreferredDeliveryMethod? PriceLevelRef?"
_HOURS = ("HoursAvailable? AccrualPeriod? HoursAccrued? MaximumHours? IsResettingHoursEachNewYear? "
          "HoursUsed? YearBeginsDate? AccrualStartDate?")
_NAMED_CONTACT = shape("ContactName:STR40 ContactValue:STR255 Relation?")

_COMPLEX: dict[str, Complex] = {
    "IncludeListMetaData": shape("IncludeMaxCapacity"),
    "NameFilter": shape("MatchCriterion Name"),
    "NameRangeFilter": shape("FromName? ToName?"),
    "TotalBalanceFilter": shape("Operator Amount"),
    "CurrencyFilter": shape("(ListID+ | FullName+:STR64)"),
    "ClassFilter": shape(_ID_LIST),
    "EntityFilter": shape(_ID_LIST),
    "AccountFilter": shape(_ID_LIST),
    "TimeTrackingEntityFilter": shape("(ListID+ | FullName+)"),
    "ModifiedDateRangeFilter": shape("FromModifiedDate? ToModifiedDate?"),
    "TxnDateRangeFilter": shape("(FromTxnDate? ToTxnDate? | DateMacro)"),
    "RefNumberFilter": shape("MatchCriterion RefNumber"),
    "RefNumberRangeFilter": shape("FromRefNumber? ToRefNumber?"),
    "BarCode": shape("BarCodeValue? AssignEvenIfUsed? AllowOverride?"),
    "SalesOrPurchase": shape("Desc? (Price | PricePercent)? AccountRef?"),
    "SalesAndPurchase": shape("SalesDesc? SalesPrice? IncomeAccountRef? PurchaseDesc? PurchaseCost? "
                               "PurchaseTaxCodeRef? ExpenseAccountRef? PrefVendorRef?"),
    "SalesOrPurchaseMod": shape("Desc? (Price | PricePercent)? AccountRef? ApplyAccountRefToExistingTxns?"),
    "SalesAndPurchaseMod": shape("SalesDesc? SalesPrice? IncomeAccountRef? "
                                  "ApplyIncomeAccountRefToExistingTxns? PurchaseDesc? PurchaseCost? "
                                  "PurchaseTaxCodeRef? ExpenseAccountRef? "
                                  "ApplyExpenseAccountRefToExistingTxns? PrefVendorRef?"),
    "ItemServiceAdd": shape("Name:STR31 BarCode? IsActive? ClassRef? ParentRef? UnitOfMeasureSetRef? "
                             "IsTaxIncluded? SalesTaxCodeRef? (SalesOrPurchase | SalesAndPurchase) "
                             "ExternalGUID?"),
    "ItemServiceMod": shape("ListID EditSequence Name?:STR31 BarCode? IsActive? ClassRef? ParentRef? "
                             "UnitOfMeasureSetRef? ForceUOMChange? IsTaxIncluded? SalesTaxCodeRef? "
                             "(SalesOrPurchaseMod | SalesAndPurchaseMod)?"),
    "ClassAdd": shape("Name:STR31 IsActive? ParentRef?"),
    "ClassMod": shape("ListID EditSequence Name?:STR31 IsActive? ParentRef?"),
    "TimeTrackingAdd": shape(f"{_TIME_FIELDS} ExternalGUID?", defMacro=MACRO),
    "TimeTrackingMod": shape(f"TxnID EditSequence {_TIME_FIELDS}"),
    "BillAddress": _ADDRESS,
    "ShipAddress": _ADDRESS,
    "CreditTxnID": shape(ID, useMacro=MACRO),
    "SetCredit": shape("CreditTxnID TxnLineID? AppliedAmount Override?"),
    "LinkToTxn": shape("TxnID TxnLineID"),
    "DataExt": shape("OwnerID DataExtName DataExtValue"),
    "InvoiceLineAdd": shape(f"ItemRef? Desc? Quantity? UnitOfMeasure? {_LINE_PRICE} {_LINE_SITE} IsTaxable? "
                             "OverrideItemAccountRef? Other1? Other2? LinkToTxn? DataExt*", defMacro=MACRO),
    "InvoiceLineGroupAdd": shape("ItemGroupRef Desc?:STR Quantity? UnitOfMeasure? ServiceDate? "
                                  "InventorySiteRef? InventorySiteLocationRef? DataExt*"),
    "InvoiceLineMod": shape(_LINE_MOD),
    "InvoiceLineGroupMod": shape("TxnLineID ItemGroupRef? Quantity? UnitOfMeasure? OverrideUOMSetRef? "
                                  "InvoiceLineMod*"),
    "DiscountLineAdd": shape("(Amount | RatePercent)? IsTaxable? AccountRef?"),
    "SalesTaxLineAdd": shape("(Amount | RatePercent)? AccountRef?"),
    "ShippingLineAdd": shape("Amount AccountRef?"),
    "InvoiceAdd": shape(f"CustomerRef {_INVOICE_HEAD} IsFinanceCharge? {_INVOICE_MIDDLE} ExternalGUID? "
                         "LinkToTxnID* SetCredit* (InvoiceLineAdd | InvoiceLineGroupAdd)* DiscountLineAdd? "
                         "SalesTaxLineAdd? ShippingLineAdd?", defMacro=MACRO),
    "InvoiceMod": shape(f"TxnID EditSequence CustomerRef? {_INVOICE_HEAD} {_INVOICE_MIDDLE} SetCredit* "
                         "(InvoiceLineMod | InvoiceLineGroupMod)*"),
    "VendorAddress": _ADDRESS,
    "ShipToAddress": shape("Name:STR41 Addr1? Addr2? Addr3? Addr4? Addr5? City? State? PostalCode? Country? "
                            "Note? DefaultShipTo?"),
    "EmployeeAddress": shape("Addr1? Addr2? Addr3?:STR Addr4?:STR City? State? PostalCode? Country?:STR"),
    "AdditionalContactRef": shape("ContactName:STR40 ContactValue:STR255"),
    "Contacts": shape(_CONTACT),
    "ContactsMod": shape(f"ListID? EditSequence? {_CONTACT}"),
    "AdditionalNotes": shape("Note:STR4095"),
    "AdditionalNotesMod": shape("NoteID Note:STR4095"),
    "CreditCardInfo": shape("CreditCardNumber?:STR25 ExpirationMonth? ExpirationYear? NameOnCard?:STR41 "
                             "CreditCardAddress?:STR41 CreditCardPostalCode?:STR41"),
    "EmergencyContacts": shape("PrimaryContact? SecondaryContact?"),
    "PrimaryContact": _NAMED_CONTACT,
    "SecondaryContact": _NAMED_CONTACT,
    "Earnings": shape("PayrollItemWageRef (Rate | RatePercent)?"),
    "NonEarnings": shape("PayrollItemNonWageRef (Amount | RatePercent)? Limit?"),
    "SickHours": shape(_HOURS),
    "VacationHours": shape(_HOURS),
    "TaxInfo": shape("TaxInfoCategory:STR100 TaxInfoValue"),
    "EmployeeTax": shape("IsSubjectToTax? PayrollItemTaxRef TaxLawVersion? TaxInfo*"),
    "EmployeeTaxInfo": shape("StateLived?:STR21 StateWorked?:STR21 IsStandardTaxationRequired? "
                              "EmployeeTax*"),
    "EmployeeDirectDepositAccount": shape("(Amount | RatePercent)? BankName:STR31 RoutingNumber:STR9 "
                                           "AccountNumber:STR25 BankAccountType"),
    "EmployeePayrollInfo": shape("IsCoveredByQualifiedPensionPlan? PayPeriod? PayScheduleRef? ClassRef? "
                                  "(ClearEarnings | Earnings+)? (ClearNonEarnings | NonEarnings+)? "
                                  "UseTimeDataToCreatePaychecks? SickHours? VacationHours? EmployeeTaxInfo? "
                                  "WorkersCompCodeRef? EmployeeDirectDepositAccount*"),
    "CustomerAdd": shape(f"Name:STR41 {_CUSTOMER_HEAD} Contacts* CustomerTypeRef? TermsRef? SalesRepRef? "
                          f"OpenBalance? OpenBalanceDate? {_CUSTOMER_MIDDLE} AdditionalNotes* "
                          f"{_CUSTOMER_TAIL} ExternalGUID? TaxRegistrationNumber?:STR30 CurrencyRef?"),
    "CustomerMod": shape(f"ListID EditSequence Name?:STR41 {_CUSTOMER_HEAD} ContactsMod* CustomerTypeRef? "
                          f"TermsRef? SalesRepRef? {_CUSTOMER_MIDDLE} AdditionalNotesMod* {_CUSTOMER_TAIL} "
                          "TaxRegistrationNumber?:STR30 CurrencyRef?"),
    "VendorAdd": shape(f"Name:STR41 IsActive? ClassRef? CompanyName?:STR41 {_PERSON} JobTitle?:STR41 "
                        f"VendorAddress? ShipAddress? {_COMM} {_CONTACT_REFS} Contacts* NameOnCheck?:STR41 "
                        "AccountNumber?:STR99 Notes? AdditionalNotes* VendorTypeRef? TermsRef? CreditLimit? "
                        "VendorTaxIdent?:STR15 IsVendorEligibleFor1099? OpenBalance? OpenBalanceDate? "
                        "BillingRateRef? ExternalGUID? SalesTaxCodeRef? SalesTaxCountry? IsSalesTaxAgency? "
                        "SalesTaxReturnRef? TaxRegistrationNumber?:STR30 ReportingPeriod? "
                        "IsTaxTrackedOnPurchases? TaxOnPurchasesAccountRef? IsTaxTrackedOnSales? "
                        f"TaxOnSalesAccountRef? IsTaxOnTax? {upto('PrefillAccountRef', 3)} CurrencyRef?"),
    "EmployeeAdd": shape(f"Name? IsActive? {_PERSON} JobTitle?:STR41 SupervisorRef? Department?:STR31 "
                          "Description?:STR64 TargetBonus? EmployeeAddress? PrintAs?:STR41 Phone?:STR21 "
                          "Mobile?:STR21 Pager?:STR21 PagerPIN?:STR10 AltPhone?:STR21 Fax?:STR21 SSN?:STR15 "
                          f"Email?:STR1023 {_CONTACT_REFS} EmergencyContacts? EmployeeType? PartOrFullTime? "
                          "Exempt? KeyEmployee? Gender? HiredDate? OriginalHireDate? AdjustedServiceDate? "
                          "ReleasedDate? BirthDate? USCitizen? Ethnicity? Disabled? DisabilityDesc?:STR25 "
                          "OnFile? WorkAuthExpireDate? USVeteran? MilitaryStatus? AccountNumber?:STR99 "
                          "Notes? AdditionalNotes* BillingRateRef? EmployeePayrollInfo? ExternalGUID?"),
}

ELEMENTS.update(_COMPLEX)

_RQ = {"requestID": STR}
_QUERY = {**_RQ, "metaData": enum("NoMetaData MetaDataOnly MetaDataAndResponseData")}
_ITERATOR = {**_QUERY, "iterator": enum("Start Continue Stop"), "iteratorID": STR}
_LIST_FILTER = "MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? (NameFilter | NameRangeFilter)?"
_TXN_FILTER = ("MaxReturned? (ModifiedDateRangeFilter | TxnDateRangeFilter)? EntityFilter? AccountFilter? "
               "(RefNumberFilter | RefNumberRangeFilter)? CurrencyFilter?")


def _list_query(filters: str = "", tail: str = "IncludeRetElement* OwnerID*") -> str:
    """The schema's ListQuery groups: a list of ids or names, or a filter, then what to return."""
    return f"(ListID+ | FullName+ | {_LIST_FILTER} {filters})? {tail}"


def _request(content: str, attrs: dict[str, SimpleType] = _RQ) -> Complex:
    return Complex(content, ELEMENTS, attrs)


#: The supported requests: each ``…Rq`` element's shape (attributes included).
REQUESTS: dict[str, Complex] = {
    "HostQueryRq": _request("IncludeListMetaData? IncludeRetElement*"),
    "CompanyQueryRq": _request("IncludeRetElement* OwnerID*"),
    "PreferencesQueryRq": _request("IncludeRetElement*"),
    "EmployeeQueryRq": _request(_list_query(), _QUERY),
    "CustomerQueryRq": _request(_list_query("TotalBalanceFilter? CurrencyFilter? ClassFilter?"), _ITERATOR),
    "VendorQueryRq": _request(_list_query("TotalBalanceFilter? CurrencyFilter? ClassFilter?"), _ITERATOR),
    "OtherNameQueryRq": _request(_list_query(), _QUERY),
    "EntityQueryRq": _request(_list_query(tail="IncludeRetElement*"), _ITERATOR),
    "PayrollItemWageQueryRq": _request(_list_query(tail="IncludeRetElement*"), _QUERY),
    "AccountQueryRq": _request(_list_query("AccountType* CurrencyFilter?"), _QUERY),
    "ItemServiceQueryRq": _request(_list_query("ClassFilter?"), _ITERATOR),
    "ItemServiceAddRq": _request("ItemServiceAdd IncludeRetElement*"),
    "ItemServiceModRq": _request("ItemServiceMod IncludeRetElement*"),
    "ClassQueryRq": _request(_list_query(tail="IncludeRetElement*"), _QUERY),
    "ClassAddRq": _request("ClassAdd IncludeRetElement*"),
    "ClassModRq": _request("ClassMod IncludeRetElement*"),
    "CustomerAddRq": _request("CustomerAdd IncludeRetElement*"),
    "CustomerModRq": _request("CustomerMod IncludeRetElement*"),
    "VendorAddRq": _request("VendorAdd IncludeRetElement*"),
    "EmployeeAddRq": _request("EmployeeAdd IncludeRetElement*"),
    "TimeTrackingQueryRq": _request("(TxnID+ | MaxReturned? (ModifiedDateRangeFilter | TxnDateRangeFilter)? "
                                    "TimeTrackingEntityFilter?)? IncludeRetElement*", _ITERATOR),
    "TimeTrackingAddRq": _request("TimeTrackingAdd IncludeRetElement*"),
    "TimeTrackingModRq": _request("TimeTrackingMod IncludeRetElement*"),
    "InvoiceQueryRq": _request(f"(TxnID+ | RefNumber+ | RefNumberCaseSensitive+ | {_TXN_FILTER} "
                               "PaidStatus?)? IncludeLineItems? IncludeLinkedTxns? IncludeRetElement* "
                               "OwnerID*", _ITERATOR),
    "InvoiceAddRq": _request("InvoiceAdd IncludeRetElement*"),
    "InvoiceModRq": _request("InvoiceMod IncludeRetElement*"),
}

_MESSAGES: dict[str, Type] = {name: REQUESTS.get(name, UNCHECKED) for name in ALL_REQUESTS}
_MSGS_RQ = Complex(
    f"({' | '.join(ALL_REQUESTS)})*",
    _MESSAGES,
    {"onError": enum("stopOnError continueOnError rollbackOnError"), "newMessageSetID": STR,
     "oldMessageSetID": STR, "responseData": enum("includeAll includeNone")},
    required=frozenset({"onError"}),
)

#: The envelope. Stricter than the schema on purpose: the simulator serves request message sets only, so
#: ``QBXML`` must hold exactly one ``QBXMLMsgsRq`` (no SignonMsgsRq, subscriptions, responses or nothing).
QBXML = Complex("QBXMLMsgsRq", {"QBXMLMsgsRq": _MSGS_RQ})
