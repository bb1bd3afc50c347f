"""The qbXML element vocabulary for the simulator's own checks: what each leaf element name holds.

``ELEMENTS`` maps an element name to its type, as the schema's global elements do
(reference/xsd/qbxml160/qbxml160.xsd, lengths from reference/samples/intuit_qbxmlops/qbxmlops140.xml):
here every simple-typed element and every list reference (``…Ref``: ListID and/or FullName). The
aggregates and requests built from them live in ``shapes_data``, which adds its complex elements to the
same table; a content model may still override an entry locally with ``Name:TYPE`` (see ``shapes_model``).
The schema's own quirks are kept, e.g. ``ParentRef`` and ``ItemRef`` FullNames have no maximum length
(GenericListRef), and ``ActiveStatus``/``PaidStatus`` may be empty (their schema default then applies).
"""

from __future__ import annotations

import re

from .shapes_model import Complex, Type
from .shapes_types import (
    AMT,
    BOOL,
    DATE,
    DATETIME,
    DURATION,
    FLOAT,
    GUID,
    ID,
    INT,
    INT1,
    PERCENT,
    PRICE,
    QUAN,
    STR,
    Enum,
    Pattern,
    SimpleType,
    Str,
)

ELEMENTS: dict[str, Type] = {}


def enum(values: str, default: str | None = None) -> Enum:
    """An ENUMTYPE restricted to the space-separated ``values`` (``default``: the schema's default)."""
    return Enum(tuple(values.split()), default)


def shape(content: str | SimpleType, **attrs: SimpleType) -> Complex:
    """A complex element whose children's types come from ``ELEMENTS``."""
    return Complex(content, ELEMENTS, attrs)


#: ExpirationMonth: xsd:integer (whitespace collapsed, leading zeros allowed) from 1 to 12.
_MONTH = Pattern(re.compile(r"\+?0*(1[0-2]|[1-9])"), "a month number from 1 to 12", collapse_first=True)

#: Simple-typed elements, by type (several rows per type keep the lines short).
_SIMPLE: list[tuple[SimpleType, str]] = [
    (ID, "ListID TxnID TxnLineID LinkToTxnID ListIDWithChildren"),
    (STR, "FullName FullNameWithChildren Name FromName ToName RefNumber RefNumberCaseSensitive"),
    (STR, "FromRefNumber ToRefNumber DataExtValue Suffix TaxInfoValue"),
    (Str(16), "EditSequence"),
    (Str(4095), "Notes Memo Desc SalesDesc PurchaseDesc SerialNumber"),
    (Str(50), "IncludeRetElement BarCodeValue"),
    (Str(41), "Addr1 Addr2 Addr3 Addr4 Addr5 Note"),
    (Str(40), "LotNumber"),
    (Str(31), "City Country UnitOfMeasure DataExtName"),
    (Str(29), "Other Other1 Other2"),
    (Str(25), "PONumber"),
    (Str(21), "State"),
    (Str(13), "PostalCode FOB"),
    (BOOL, "IncludeMaxCapacity IsActive IsTaxIncluded ForceUOMChange AssignEvenIfUsed AllowOverride"),
    (BOOL, "ApplyAccountRefToExistingTxns ApplyIncomeAccountRefToExistingTxns"),
    (BOOL, "ApplyExpenseAccountRefToExistingTxns IncludeLineItems IncludeLinkedTxns IsPending"),
    (BOOL, "IsFinanceCharge IsToBePrinted IsToBeEmailed IsTaxable Override"),
    (BOOL, "IsStatementWithParent IsVendorEligibleFor1099 IsSalesTaxAgency IsTaxTrackedOnPurchases"),
    (BOOL, "IsTaxTrackedOnSales IsTaxOnTax DefaultShipTo ClearEarnings ClearNonEarnings IsSubjectToTax"),
    (BOOL, "IsResettingHoursEachNewYear IsCoveredByQualifiedPensionPlan IsStandardTaxationRequired"),
    (DATE, "TxnDate FromTxnDate ToTxnDate DueDate ShipDate ServiceDate OpenBalanceDate JobStartDate"),
    (DATE, "JobProjectedEndDate JobEndDate HiredDate OriginalHireDate AdjustedServiceDate ReleasedDate"),
    (DATE, "BirthDate WorkAuthExpireDate YearBeginsDate AccrualStartDate"),
    (DATETIME, "FromModifiedDate ToModifiedDate"),
    (DURATION, "Duration HoursAvailable HoursAccrued MaximumHours HoursUsed"),
    (INT1, "MaxReturned"),
    (INT, "ExpirationYear NoteID TaxLawVersion"),
    (_MONTH, "ExpirationMonth"),
    (GUID, "OwnerID ExternalGUID"),
    (AMT, "Amount TaxAmount AppliedAmount OpenBalance CreditLimit TargetBonus Limit"),
    (PRICE, "Rate Price SalesPrice PurchaseCost"),
    (PERCENT, "PricePercent RatePercent"),
    (QUAN, "Quantity"),
    (FLOAT, "ExchangeRate"),
    (enum("ActiveOnly InactiveOnly All", default="ActiveOnly"), "ActiveStatus"),
    (enum("All PaidOnly NotPaidOnly", default="All"), "PaidStatus"),
    (enum("StartsWith Contains EndsWith"), "MatchCriterion"),
    (enum("LessThan LessThanEqual Equal GreaterThan GreaterThanEqual"), "Operator"),
    (enum("Billable NotBillable HasBeenBilled"), "BillableStatus"),
    (enum("Zero BasePrice"), "OptionForPriceRuleConflict"),
    (enum("Australia Canada UK US", default="Canada"), "SalesTaxCountry"),
    (enum("Awarded Closed InProgress None NotAwarded Pending", default="None"), "JobStatus"),
    (enum("Email Fax Print", default="Print"), "DeliveryMethod"),
    (enum("None Email Fax"), "PreferredDeliveryMethod"),
    (enum("Monthly Quarterly", default="Quarterly"), "ReportingPeriod"),
    (enum("Officer Owner Regular Statutory", default="Regular"), "EmployeeType"),
    (enum("PartTime FullTime"), "PartOrFullTime"),
    (enum("Exempt NonExempt"), "Exempt"),
    (enum("Yes No"), "KeyEmployee USCitizen Disabled OnFile USVeteran"),
    (enum("Male Female"), "Gender"),
    (enum("AmericianIndian Asian Black Hawaiian Hispanic White TwoOrMoreRaces"), "Ethnicity"),  # sic
    (enum("Active Reserve"), "MilitaryStatus"),
    (enum("Daily Weekly Biweekly Semimonthly Monthly Quarterly Yearly"), "PayPeriod"),
    (enum("NotSet UseTimeData DoNotUseTimeData"), "UseTimeDataToCreatePaychecks"),
    (enum("BeginningOfYear EveryHourOnPaycheck EveryPaycheck"), "AccrualPeriod"),
    (enum("Checking Savings"), "BankAccountType"),
    (enum("Spouse Partner Mother Father Sister Brother Son Daughter Friend Other"), "Relation"),
    (enum("AccountsPayable AccountsReceivable Bank CostOfGoodsSold CreditCard Equity Expense FixedAsset "
           "Income LongTermLiability NonPosting OtherAsset OtherCurrentAsset OtherCurrentLiability "
           "OtherExpense OtherIncome"), "AccountType"),
    (enum("All Today ThisWeek ThisWeekToDate ThisMonth ThisMonthToDate ThisCalendarQuarter "
           "ThisCalendarQuarterToDate ThisFiscalQuarter ThisFiscalQuarterToDate ThisCalendarYear "
           "ThisCalendarYearToDate ThisFiscalYear ThisFiscalYearToDate Yesterday LastWeek LastWeekToDate "
           "LastMonth LastMonthToDate LastCalendarQuarter LastCalendarQuarterToDate LastFiscalQuarter "
           "LastFiscalQuarterToDate LastCalendarYear LastCalendarYearToDate LastFiscalYear "
           "LastFiscalYearToDate NextWeek NextFourWeeks NextMonth NextCalendarQuarter NextCalendarYear "
           "NextFiscalQuarter NextFiscalYear"), "DateMacro"),
]

#: List references (ListID and/or FullName), by the FullName's maximum length (None: no maximum).
_REFS: list[tuple[int | None, str]] = [
    (209, "CustomerRef EntityRef SupervisorRef"),
    (159, "ClassRef ItemServiceRef AccountRef ARAccountRef IncomeAccountRef ExpenseAccountRef"),
    (159, "OverrideItemAccountRef CustomerTypeRef JobTypeRef VendorTypeRef TaxOnPurchasesAccountRef"),
    (159, "TaxOnSalesAccountRef PrefillAccountRef"),
    (101, "CustomerMsgRef"),
    (64, "CurrencyRef"),
    (41, "PrefVendorRef"),
    (31, "PayrollItemWageRef TemplateRef TermsRef ItemSalesTaxRef UnitOfMeasureSetRef PriceLevelRef"),
    (31, "OverrideUOMSetRef ItemGroupRef InventorySiteRef InventorySiteLocationRef PayScheduleRef"),
    (31, "PreferredPaymentMethodRef BillingRateRef PayrollItemNonWageRef PayrollItemTaxRef"),
    (15, "ShipMethodRef"),
    (13, "WorkersCompCodeRef"),
    (5, "SalesRepRef"),
    (3, "SalesTaxCodeRef PurchaseTaxCodeRef CustomerSalesTaxCodeRef"),
    (None, "ParentRef ItemRef SalesTaxReturnRef"),
]

for _type, _names in _SIMPLE:
    ELEMENTS.update(dict.fromkeys(_names.split(), _type))
for _length, _names in _REFS:
    ELEMENTS.update(dict.fromkeys(_names.split(), shape(f"ListID? FullName?:STR{_length or ''}")))
