import type { DepartmentRecord, Item, RegisterStandard, TargetRecord } from '../../domain/registers/index.js';

/**
 * Demo county: 沂源县 (Zibo, Shandong; region code 370323), the county whose commerce bureau
 * wrote the guideline in /work/shared/seed. Towns and streets are real; department names,
 * industry weights and every entity are invented for the demo.
 */
export const COUNTY_CODE = '370323';

/** 2 streets and 9 towns with rough relative sizes. */
export const towns: readonly (readonly [string, number])[] = [
  ['历山街道', 18],
  ['南麻街道', 20],
  ['鲁村镇', 10],
  ['东里镇', 8],
  ['悦庄镇', 8],
  ['西里镇', 6],
  ['大张庄镇', 7],
  ['中庄镇', 6],
  ['张家坡镇', 5],
  ['石桥镇', 6],
  ['燕崖镇', 6],
];

export const BUREAU = 'yy-swj';
export const OFFICE_MARKET = 'yy-swj-scyx';
export const OFFICE_CIRCULATION = 'yy-swj-ltfz';
export const OFFICE_TRADE = 'yy-swj-wmwz';
export const ENFORCEMENT = 'yy-swj-zfdd';
export const ECOMMERCE = 'yy-swj-dzsw';

const neighbours = [
  { regionCode: '370304', name: '淄博市博山区' },
  { regionCode: '370724', name: '潍坊市临朐县' },
  { regionCode: '371323', name: '临沂市沂水县' },
  { regionCode: '371328', name: '临沂市蒙阴县' },
  { regionCode: '370982', name: '泰安市新泰市' },
  { regionCode: '370116', name: '济南市莱芜区' },
];

/** G3: the bureau and its offices/units (局属各单位、机关各科室). */
export const departments: readonly DepartmentRecord[] = [
  { departmentId: BUREAU, name: '沂源县商务局', kind: 'bureau', parentDepartment: null, regionCode: COUNTY_CODE, neighbouringRegions: neighbours },
  { departmentId: OFFICE_MARKET, name: '市场运行和消费促进科', kind: 'office', parentDepartment: BUREAU, regionCode: COUNTY_CODE, neighbouringRegions: [] },
  { departmentId: OFFICE_CIRCULATION, name: '流通业发展科', kind: 'office', parentDepartment: BUREAU, regionCode: COUNTY_CODE, neighbouringRegions: [] },
  { departmentId: OFFICE_TRADE, name: '对外贸易和外资科', kind: 'office', parentDepartment: BUREAU, regionCode: COUNTY_CODE, neighbouringRegions: [] },
  { departmentId: ENFORCEMENT, name: '商务综合行政执法大队', kind: 'unit', parentDepartment: BUREAU, regionCode: COUNTY_CODE, neighbouringRegions: neighbours },
  { departmentId: ECOMMERCE, name: '电子商务发展服务中心', kind: 'unit', parentDepartment: BUREAU, regionCode: COUNTY_CODE, neighbouringRegions: [] },
];

export interface IndustryProfile {
  readonly code: string;
  readonly label: string;
  readonly weight: number;
  readonly jurisdiction: string;
  /** 重点行业 (PL5 exemption, key items). */
  readonly key: boolean;
  /** Share of enterprises (the rest are individual businesses). */
  readonly enterpriseShare: number;
  readonly suffixes: readonly string[];
}

/** GB/T 4754-2017 classes a county commerce bureau supervises; weights are invented. */
export const industries: readonly IndustryProfile[] = [
  { code: 'F5211', label: '百货零售', weight: 8, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.3, suffixes: ['百货商店', '百货有限公司', '日用百货店'] },
  { code: 'F5212', label: '超级市场零售', weight: 10, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.4, suffixes: ['超市', '购物广场', '便利店'] },
  { code: 'F5223', label: '果品、蔬菜零售', weight: 9, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.1, suffixes: ['果蔬店', '鲜果行', '蔬菜店'] },
  { code: 'H6210', label: '正餐服务', weight: 13, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.25, suffixes: ['饭店', '酒楼', '餐馆'] },
  { code: 'H6220', label: '快餐服务', weight: 12, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.15, suffixes: ['快餐店', '小吃部', '面馆'] },
  { code: 'O8040', label: '美容美发服务', weight: 8, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.1, suffixes: ['美发店', '美容院', '理发店'] },
  { code: 'O8010', label: '家庭服务', weight: 4, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.5, suffixes: ['家政服务有限公司', '家政服务部'] },
  { code: 'O8030', label: '洗染服务', weight: 2, jurisdiction: OFFICE_MARKET, key: false, enterpriseShare: 0.2, suffixes: ['洗衣店', '干洗店'] },
  { code: 'F5261', label: '汽车新车零售', weight: 2, jurisdiction: OFFICE_CIRCULATION, key: false, enterpriseShare: 0.95, suffixes: ['汽车销售有限公司', '汽车销售服务有限公司'] },
  { code: 'F5262', label: '汽车旧车零售', weight: 2, jurisdiction: OFFICE_CIRCULATION, key: false, enterpriseShare: 0.6, suffixes: ['二手车经销有限公司', '二手车交易市场有限公司', '旧车经销部'] },
  { code: 'F5265', label: '机动车燃油零售', weight: 1.2, jurisdiction: OFFICE_CIRCULATION, key: true, enterpriseShare: 0.9, suffixes: ['加油站', '石油销售有限公司'] },
  { code: 'F5191', label: '再生物资回收与批发', weight: 2, jurisdiction: OFFICE_CIRCULATION, key: false, enterpriseShare: 0.4, suffixes: ['再生资源回收有限公司', '废品收购站'] },
  { code: 'C4210', label: '金属废料和碎屑加工处理', weight: 0.3, jurisdiction: OFFICE_CIRCULATION, key: true, enterpriseShare: 1, suffixes: ['报废汽车回收拆解有限公司'] },
  { code: 'L7292', label: '拍卖', weight: 0.2, jurisdiction: OFFICE_CIRCULATION, key: false, enterpriseShare: 1, suffixes: ['拍卖有限公司'] },
  { code: 'F5292', label: '互联网零售', weight: 4, jurisdiction: ECOMMERCE, key: false, enterpriseShare: 0.35, suffixes: ['电子商务有限公司', '网店', '电商服务部'] },
  { code: 'F5171', label: '纺织品、针织品及原料批发', weight: 1.5, jurisdiction: OFFICE_TRADE, key: false, enterpriseShare: 0.7, suffixes: ['进出口有限公司', '贸易有限公司'] },
];

type ItemDraft = Omit<Item, 'inspectingBody'> & { inspectingBody: string };

/** L1: the county commerce system's unified list (《清单》, 指引（八）); legal bases as commonly cited, for the demo. */
export const itemListV1: readonly ItemDraft[] = [
  { itemId: 'SW-01', name: '单用途商业预付卡发卡企业备案及经营情况检查', targetType: '零售、住宿餐饮、居民服务业单用途预付卡发卡企业', category: 'general', method: ['written', 'onSite'], inspectingBody: OFFICE_MARKET, legalBasis: '《单用途商业预付卡管理办法（试行）》', maxRatioBp: 500 },
  { itemId: 'SW-02', name: '报废机动车回收拆解企业检查', targetType: '报废机动车回收拆解企业', category: 'key', method: ['onSite'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '《报废机动车回收管理办法》《报废机动车回收管理办法实施细则》', needsExperts: true },
  { itemId: 'SW-03', name: '二手车交易市场经营者和二手车经营主体备案情况检查', targetType: '二手车交易市场经营者、二手车经销企业', category: 'general', method: ['written', 'onSite'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '《二手车流通管理办法》', maxRatioBp: 500 },
  { itemId: 'SW-04', name: '成品油零售经营企业检查', targetType: '成品油零售经营企业（加油站）', category: 'key', method: ['onSite', 'samplingTest'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '成品油流通管理有关法规规章', needsExperts: true },
  { itemId: 'SW-05', name: '家政服务机构经营行为检查', targetType: '家政服务机构', category: 'general', method: ['written'], inspectingBody: OFFICE_MARKET, legalBasis: '《家政服务业管理暂行办法》', maxRatioBp: 300 },
  { itemId: 'SW-06', name: '拍卖企业经营行为检查', targetType: '拍卖企业', category: 'general', method: ['written', 'onSite'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '《拍卖管理办法》', maxRatioBp: 500 },
  { itemId: 'SW-07', name: '再生资源回收经营者备案情况检查', targetType: '再生资源回收经营者', category: 'general', method: ['onSite'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '《再生资源回收管理办法》', maxRatioBp: 500 },
  { itemId: 'SW-08', name: '汽车销售企业经营行为检查', targetType: '汽车销售企业', category: 'general', method: ['written', 'networkMonitoring'], inspectingBody: OFFICE_CIRCULATION, legalBasis: '《汽车销售管理办法》', maxRatioBp: 300 },
  { itemId: 'SW-09', name: '洗染业经营者检查', targetType: '洗染经营者', category: 'general', method: ['onSite'], inspectingBody: OFFICE_MARKET, legalBasis: '《洗染业管理办法》', maxRatioBp: 300 },
  { itemId: 'SW-10', name: '美容美发经营者检查', targetType: '美容美发经营者', category: 'general', method: ['onSite'], inspectingBody: OFFICE_MARKET, legalBasis: '《美容美发业管理暂行办法》', maxRatioBp: 300 },
  { itemId: 'SW-11', name: '商业特许经营备案情况检查', targetType: '特许人', category: 'general', method: ['written', 'networkMonitoring'], inspectingBody: OFFICE_MARKET, legalBasis: '《商业特许经营管理条例》《商业特许经营备案管理办法》', maxRatioBp: 200 },
  { itemId: 'SW-12', name: '餐饮服务经营者反食品浪费情况检查', targetType: '餐饮服务经营者', category: 'general', method: ['onSite'], inspectingBody: OFFICE_MARKET, legalBasis: '《中华人民共和国反食品浪费法》', maxRatioBp: 300 },
];

/**
 * L1: a second version, so the demo shows a published adjustment and its diff. It adds one item
 * the bureau itself inspects (安全生产, 管行业必须管安全), so the root department plans and files
 * (PL1: with nobody) and can delegate a task to its enforcement unit (T1) in the demo year.
 */
export const itemListV2: readonly ItemDraft[] = [
  ...itemListV1.map((i): ItemDraft => (i.itemId === 'SW-08' ? { ...i, maxRatioBp: 200 } : i.itemId === 'SW-07' ? { ...i, method: ['written', 'onSite'] } : i)),
  { itemId: 'SW-13', name: '商贸流通企业安全生产检查', targetType: '商场、超市等商贸流通企业', category: 'key', method: ['onSite'], inspectingBody: BUREAU, legalBasis: '《中华人民共和国安全生产法》' },
];

/** L4: special registers with their standards. */
export const specialRegisters: readonly { registerId: string; department: string; standard: RegisterStandard }[] = [
  { registerId: 'fuel-retail', department: OFFICE_CIRCULATION, standard: { name: '成品油零售企业专项库', objectType: '成品油零售经营企业', indicators: { industry: ['F5265'] }, supervisionRequirements: '重点检查事项；每年覆盖安全管理制度、油品进销存台账与计量器具' } },
  { registerId: 'vehicle-recycling', department: OFFICE_CIRCULATION, standard: { name: '报废机动车回收拆解企业专项库', objectType: '报废机动车回收拆解企业', indicators: { industry: ['C4210'], entityType: ['enterprise'] }, supervisionRequirements: '重点检查事项；拆解记录、“五大总成”去向、环保设施' } },
  { registerId: 'used-cars', department: OFFICE_CIRCULATION, standard: { name: '二手车经营主体专项库', objectType: '二手车交易市场经营者和二手车经销企业', indicators: { industry: ['F5262'] }, supervisionRequirements: '备案信息与经营行为一致性' } },
  { registerId: 'prepaid-cards', department: OFFICE_MARKET, standard: { name: '单用途预付卡发卡企业专项库', objectType: '单用途商业预付卡发卡企业', indicators: { entityType: ['enterprise'], industry: ['F5211', 'F5212', 'H62', 'O80'], scale: ['small', 'medium', 'large'] }, supervisionRequirements: '备案、预收资金余额、资金存管' } },
];

export const expertiseFields = ['单用途预付卡', '成品油', '报废机动车', '二手车', '拍卖', '再生资源', '家政服务', '餐饮服务', '汽车销售', '美容美发', '洗染', '电子商务'] as const;

export const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '孙', '周', '吴', '徐', '任', '唐', '翟', '齐', '石', '宋', '韩', '高', '崔'] as const;
export const givenNames = ['伟', '敏', '静', '磊', '强', '洋', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '鹏', '华', '玲', '宁', '晨', '雪', '浩', '凯'] as const;
export const shopWords = ['鸿运', '福源', '佳美', '顺发', '金鼎', '惠民', '沂河', '鲁山', '新华', '泰和', '众信', '聚丰', '宏达', '瑞祥', '兴旺', '盛源', '康达', '和顺', '利民', '恒通'] as const;

export type TargetDraft = Omit<TargetRecord, 'uscc'>;
