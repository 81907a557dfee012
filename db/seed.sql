-- Duikou seed data. INSERT statements only; built by `duikou build` on top of db/schema.sql.
-- Every sourced row quotes its document verbatim (design §4); judgement calls are in db/CURATION.md.

-- Documents -------------------------------------------------------------------------------------

INSERT INTO document (key, title, publisher, author, published, script, key_source) VALUES
    ('000_c29e945638e12640.txt', '（无标题）青白江区对口帮扶甘孜州九龙县工作报道', '四川新闻网', NULL, '2018-05-09', 'simplified',
        'file name of the seed document'),
    ('001_dded6dd67a8340da.txt', '（无标题）成華區對口幫扶丹巴縣工作報道', NULL, '劉洋洋', '2020', 'traditional',
        'file name of the seed document'),
    ('002_e215cf59153c62fe.txt', '脱贫攻坚简报2019年第2期', '四川省脱贫攻坚领导小组办公室', NULL, '2019-01-15', 'simplified',
        'file name of the seed document'),
    ('003_9bc1029719602b64.txt', '整合全域力量 覆盖全面对象 全力打赢助推丹巴率先脱贫奔康攻坚战', '四川党的建设（转自成都《先锋》杂志）', '刘蓉',
        '2017-12-08', 'simplified', 'file name of the seed document'),
    ('004_f114d430b7a48ac4.txt', '湖北省第八批援藏工作队开展精准援藏工作纪实', NULL, '陈鹏飞', NULL, 'simplified',
        'file name of the seed document');

-- Vocabularies ---------------------------------------------------------------------------------

INSERT INTO sector (code, name_zh, name_en, dac5) VALUES
    ('overall',        '综合/规划/总投入',        'Overall and planning',        43042),
    ('agriculture',    '农牧业/中藏药材/养殖',     'Agriculture and herding',     31120),
    ('industry',       '产业/招商/园区/加工',      'Industry and investment',     32120),
    ('tourism',        '旅游',                    'Tourism',                     33210),
    ('commerce',       '电商/消费扶贫/展销/品牌',   'Commerce and consumption aid', 25030),
    ('education',      '教育/支教/助学',           'Education',                   11120),
    ('health',         '医疗卫生',                 'Health',                      12230),
    ('employment',     '就业/劳务协作',            'Employment and labour',       16020),
    ('training',       '干部人才/技能培训/挂职',    'Cadres and training',         15110),
    ('housing',        '住房/人居环境',            'Housing and living conditions', 16040),
    ('infrastructure', '道路/水利/村级设施',        'Roads, water and village facilities', 21021),
    ('social',         '社会帮扶/捐赠/结对认亲',    'Social aid and donations',    16010),
    ('governance',     '党建/社会治理',            'Party building and governance', 15185),
    ('finance',        '基金/金融',               'Funds and finance',           24030),
    ('ecology',        '生态保护',                 'Ecological protection',       41030),
    ('culture',        '文化',                    'Culture',                     16061);

INSERT INTO measure (code, name_zh, name_en, additive) VALUES
    ('aid_funds',     '援助/帮扶资金',     'aid funds',                 1),
    ('investment',    '投资/引进资金',     'investment',                1),
    ('donation',      '捐赠款物',         'donations',                 1),
    ('sales',         '销售/交易额',       'sales',                     1),
    ('output',        '产值/收益',         'output or earnings',        1),
    ('income',        '收入(人均)',       'income per head',           0),
    ('price',         '价格/补贴标准',     'price or subsidy rate',     0),
    ('rate',          '比率/增长',         'rate or growth',            0),
    ('poverty_rate',  '贫困发生率',        'poverty rate',              0),
    ('poverty_exit',  '脱贫',             'lifted out of poverty',     1),
    ('poor',          '贫困人口/户/村',     'poor people, households or villages', 0),
    ('cadres_sent',   '选派干部人才',      'cadres and professionals sent', 1),
    ('trained',       '培训',             'trained',                   1),
    ('employed',      '就业/转移就业',     'employed',                  1),
    ('beneficiaries', '受益/帮扶对象',     'beneficiaries',             1),
    ('area',          '面积/长度',         'area or length',            1),
    ('count',         '数量',             'count',                     1),
    ('duration',      '时长/年限',         'duration',                  0);

-- Places named in more than one document -------------------------------------------------------

INSERT INTO place (id, name, level, parent_id, gb_code, code_from, code_to, name_en) VALUES
    (1,  '中国',             'country',    NULL, NULL,     NULL, NULL, 'China'),
    (2,  '四川省',           'province',   1,    '510000', NULL, NULL, 'Sichuan Province'),
    (3,  '成都市',           'prefecture', 2,    '510100', NULL, NULL, 'Chengdu'),
    (4,  '青白江区',          'county',     3,    '510113', NULL, NULL, 'Qingbaijiang District'),
    (5,  '成华区',           'county',     3,    '510108', NULL, NULL, 'Chenghua District'),
    (6,  '甘孜藏族自治州',     'prefecture', 2,    '513300', NULL, NULL, 'Garzê Tibetan Autonomous Prefecture'),
    (7,  '九龙县',           'county',     6,    '513324', NULL, NULL, 'Jiulong County'),
    (8,  '丹巴县',           'county',     6,    '513323', NULL, NULL, 'Danba County');

INSERT INTO alias (id, place_id, name, kind) VALUES
    (1, 4, '青白江', 'short'),
    (2, 5, '成华', 'short'),
    (3, 6, '甘孜州', 'short'),
    (4, 6, '甘孜', 'short'),
    (5, 7, '九龙', 'short'),
    (6, 8, '丹巴', 'short'),
    (7, 6, 'Ganzi', 'english'),
    (8, 7, 'Jiulong', 'english'),
    (9, 8, 'Danba', 'english'),
    (10, 4, 'Qingbaijiang', 'english'),
    (11, 5, 'Chenghua', 'english');

-- Pairings reported by more than one document ----------------------------------------------------

INSERT INTO pairing (id, kind, level, donor_place_id, recipient_place_id, start_year, end_year, note, document, evidence) VALUES
    (1, '省内对口帮扶', 'region', 4, 7, 2016, NULL, '青白江区 was moved to pair with 九龙县 for the 2016 round (援藏)',
        '000_c29e945638e12640.txt', '青白江区被调整到对口帮扶甘孜州九龙县'),
    (2, '省内对口帮扶', 'region', 5, 8, 2012, NULL, 'Sichuan''s "7+20" in-province pairing',
        '001_dded6dd67a8340da.txt', '成都市成華區對口援助丹巴縣');
